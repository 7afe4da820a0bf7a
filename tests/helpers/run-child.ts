// One run through runChild itself (no supervisor, no history): the report, every line and every event as it happened.
import type { SupervisorConfig } from '../../supervisor/config/types.ts';
import { runChild, type RunChildOptions, type Termination } from '../../supervisor/run/run-child.ts';
import type { RunReport } from '../../supervisor/vocabulary/run-report.ts';

/**
 * What a kill may take beyond its contract (SIGKILL at the grace period's end, at the sample over the hard limit, or at
 * once on a second shutdown signal), measured against the run's own recorded times: the work the kill cannot skip, a
 * /proc scan per signal, the kernel freeing the tree, the exit's reaping and the straggler scan before the run is
 * closed. On the shared 2-core machine that took 20–120 ms with one test file running (load average 5 to 15; ten runs
 * of each case in run-child.test.ts and second-signal.test.ts), and 763 ms for sustain.test.ts's 350 MB two-process
 * tree while a concurrent file started 50 supervisors at once (`npm test` runs three files at a time). A bound under
 * that would fail on a busy machine, not on a late kill; one second is still 60× under the 60 s grace periods the
 * hard-limit and second-signal cases must cut short.
 */
export const SCHEDULING_ALLOWANCE_MS = 1000;

export interface WatchedRun {
  readonly report: RunReport;
  /** The child's output lines, in order. */
  readonly lines: readonly string[];
  /** The stops announced (`terminating`): at most one per run. */
  readonly stops: readonly Termination[];
  /** Event names in the order they came (samples left out). */
  readonly events: readonly string[];
}

export interface WatchOptions extends Partial<Pick<RunChildOptions, 'spawn' | 'now' | 'stop' | 'escalate' | 'timeoutMs'>> {
  /** Called with each output line as it comes, to act mid-run. */
  readonly onLine?: (line: string) => void;
  /** Called when the run is told to stop (a stand-in child can exit here). */
  readonly onStop?: (stop: Termination) => void;
}

export async function runWatched(config: SupervisorConfig, options: WatchOptions = {}): Promise<WatchedRun> {
  const lines: string[] = [];
  const stops: Termination[] = [];
  const events: string[] = [];
  const report = await runChild({
    runner: config.runner, env: {}, memory: config.memory, timeoutMs: options.timeoutMs ?? config.run.timeoutMs, maxLineBytes: 4096,
    now: options.now ?? Date.now,
    stop: options.stop ?? new AbortController().signal,
    escalate: options.escalate ?? new AbortController().signal,
    ...(options.spawn ? { spawn: options.spawn } : {}),
    events: {
      spawned: () => events.push('spawned'),
      sample: () => undefined,
      warned: () => events.push('warned'),
      tolerating: () => events.push('tolerating'),
      terminating: (stop) => {
        events.push(`terminating ${stop.reason}`);
        stops.push(stop);
        options.onStop?.(stop);
      },
      line: (_stream, line) => {
        lines.push(line);
        options.onLine?.(line);
      },
      progress: () => events.push('progress'),
      worklistChanges: () => events.push('worklistChanges'),
      invalidMessage: () => events.push('invalidMessage'),
      leftBehind: () => events.push('leftBehind'),
    },
  });
  return { report, lines, stops, events };
}
