import type { CommandSinkConfig } from '../../config/types.ts';
import { isInherited } from '../../process/env-allow-list.ts';
import { DeliveryError } from '../delivery-error.ts';
import { alertEnv } from '../payload.ts';
import { COMMAND_GRACE_MS, MAX_COMMAND_OUTPUT_BYTES, runCommand, type CommandOutcome } from './run-command.ts';
import type { Delivered, Sink } from './sink.ts';

/** Output quoted in the error text when the command fails. */
const QUOTED_CHARS = 300;

// Runs a program per alert, with the alert in SYNC_ALERT_* variables (monit's MONIT_* habit): no shell, so nothing
// in a message is ever interpreted; the same allow-listed environment the runner gets (never the status token).
// Exit 0 within `timeoutMs` is delivered, whatever it printed; anything else is a failed attempt.
export function commandSink(config: CommandSinkConfig, env: NodeJS.ProcessEnv): Sink {
  const inherited = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && isInherited(e[0]) && !e[0].startsWith('REDCAP_')));
  return {
    name: config.name,
    ownTimeoutMs: config.timeoutMs,
    async deliver(payload, signal) {
      let outcome: CommandOutcome;
      try {
        outcome = await runCommand({ command: config.command, args: config.args, env: { ...inherited, ...alertEnv(payload) }, timeoutMs: config.timeoutMs, signal });
      } catch (error) {
        throw new DeliveryError(`command could not start: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
      }
      return judged(outcome, config.timeoutMs);
    },
  };
}

/** PURE: a finished run → delivered, or the DeliveryError that says why not. */
export function judged(outcome: CommandOutcome, timeoutMs: number): Delivered {
  const boundHit = outcome.outputCut ? `the command's output passed ${MAX_COMMAND_OUTPUT_BYTES / 1024} KiB; the first ${MAX_COMMAND_OUTPUT_BYTES / 1024} KiB were kept and the rest dropped` : undefined;
  const bound = boundHit === undefined ? {} : { boundHit };
  const stop = `its process group was stopped (SIGTERM, then SIGKILL after ${COMMAND_GRACE_MS / 1000} s)`;
  if (outcome.timedOut) throw new DeliveryError(`command did not exit within ${timeoutMs} ms; ${stop}`, bound);
  if (outcome.stopped) throw new DeliveryError(`command stopped at the attempt's deadline (${timeoutMs} ms) or by a supervisor stop; ${stop}`, bound);
  if (outcome.exitCode === 0) return bound;
  const quoted = outcome.output.replace(/\s+/g, ' ').trim().slice(0, QUOTED_CHARS);
  const how = outcome.exitCode === null ? `ended by ${outcome.signal ?? 'a signal'}` : `exited ${outcome.exitCode}`;
  throw new DeliveryError(`command ${how}${quoted ? `: ${quoted}` : ''}`, bound);
}
