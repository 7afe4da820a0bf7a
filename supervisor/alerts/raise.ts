// The one way an alert is raised: its row (with its outbox rows) in history.db, a log line at its level, and a
// nudge to the delivery worker.
import type { Logger } from '../../shared/logger.ts';
import type { AlertLevel } from '../vocabulary/words.ts';
import type { HistoryStore } from '../history/store.ts';
import { alertKindEntry, type AlertKind } from '../vocabulary/alert-catalogue.ts';
import type { AlertRaiser, RaiseDetails } from '../vocabulary/alert-raiser.ts';
import type { AlertRouter } from './routes.ts';

export interface AlertsOptions {
  readonly store: HistoryStore;
  readonly logger: Logger;
  /** @default Date.now */
  readonly now?: () => number;
  /** Which sinks take each alert; nothing is delivered beyond history.db and the log when absent. */
  readonly route?: AlertRouter;
}

const LOG_LEVEL: Record<AlertLevel, 'info' | 'warn' | 'error'> = { info: 'info', warning: 'warn', critical: 'error' };

export class Alerts implements AlertRaiser {
  private readonly listeners = new Set<() => void>();
  constructor(private readonly options: AlertsOptions) {}

  /**
   * Logs now (before the first await: a kill's log line never waits on the disk), then queues the row in history's
   * write queue, synchronously, so rows land in the order raised. Resolves to the alert's id once written (which may be
   * much later while history.db is locked or full: callers on the tick's path must not await it), or undefined when
   * it was dropped at the queue's cap; never rejects, so no caller can lose a kill to it.
   */
  raise(kind: AlertKind, details: RaiseDetails): Promise<number | undefined> {
    const { store, now = Date.now, route } = this.options;
    const level: AlertLevel = details.recovered ? 'info' : alertKindEntry(kind).severity;
    const logger = details.logger ?? this.options.logger;
    logger.log(LOG_LEVEL[level], details.logText ?? details.message, { alert: kind, ...(details.runId == null ? {} : { runId: details.runId }) });
    const alert = { atMs: now(), level, kind, message: details.message, value: details.value ?? null, runId: details.runId ?? null, deliveries: route?.(kind) ?? [] };
    return store.addAlert(alert).then((id) => {
      if (id === undefined) logger.error(`the ${kind} alert could not be written to history.db (dropped at the write queue's cap, or refused); it is in this log only`);
      else if (alert.deliveries.length > 0) for (const listener of this.listeners) listener();
      return id;
    });
  }

  /** Called after each alert that has outbox rows is written; returns the unsubscribe. */
  onQueued(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
