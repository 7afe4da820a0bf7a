import type { CommandSinkConfig } from '../../config/types.ts';
import { isInherited } from '../../run/runner-env.ts';
import { DeliveryError } from '../delivery-error.ts';
import { alertEnv } from '../payload.ts';
import type { Sink } from './sink.ts';

/** Output kept for the error text when the command fails; the rest is dropped. */
const MAX_OUTPUT_CHARS = 300;

// Runs a program per alert, with the alert in SYNC_ALERT_* variables (monit's MONIT_* habit): no shell, so nothing
// in a message is ever interpreted; the same allow-listed environment the runner gets (never the status token).
export function commandSink(config: CommandSinkConfig, env: NodeJS.ProcessEnv): Sink {
  const inherited = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && isInherited(e[0]) && !e[0].startsWith('REDCAP_')));
  return {
    name: config.name,
    async deliver(payload, signal) {
      // Loaded on the first alert, not at start: execa is the largest module an idle supervisor would otherwise hold.
      const { execa } = await import('execa');
      const result = await execa(config.command, [...config.args], {
        env: { ...inherited, ...alertEnv(payload) },
        extendEnv: false,
        timeout: config.timeoutMs,
        cancelSignal: signal,
        forceKillAfterDelay: 2000,
        stdin: 'ignore',
        all: true,
        reject: false,
        maxBuffer: 64 * 1024,
      });
      if (result.timedOut) throw new DeliveryError(`command did not finish within ${config.timeoutMs} ms and was killed`);
      if (result.isCanceled) throw new DeliveryError('command stopped: the delivery attempt ran out of time or the supervisor is stopping');
      if (result.failed) {
        const output = String(result.all ?? '').trim().slice(-MAX_OUTPUT_CHARS);
        const how = result.exitCode === undefined ? (result.signal ?? result.shortMessage) : `exited ${result.exitCode}`;
        throw new DeliveryError(`command ${how}${output ? `: ${output}` : ''}`);
      }
    },
  };
}
