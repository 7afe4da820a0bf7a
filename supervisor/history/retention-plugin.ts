import { startRetention } from './retention.ts';
import type { SupervisorPlugin } from '../plugin.ts';

// Prunes old samples and runs at start and daily, so history.db stays bounded over months.
export function createRetentionPlugin(): SupervisorPlugin {
  return {
    name: 'retention',
    async start(context) {
      await startRetention({ db: () => context.store.db, retention: context.config.retention, logger: context.logger, signal: context.signal, now: context.now });
    },
  };
}
