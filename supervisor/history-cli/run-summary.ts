// PURE: derived facts about one run row: records synced, duration, and how it ended in words.
import type { RunRow } from '../history/queries-runs.ts';
import { RUN_STATUS_FACTS } from '../vocabulary/run-status.ts';

interface SourceCounts {
  readonly name?: unknown;
  readonly status?: unknown;
  readonly inserted?: unknown;
  readonly updated?: unknown;
  readonly lifecycle?: unknown;
}

/** The runner's result (`{sources: [...]}`), or undefined when absent or unreadable. */
export function parseResult(json: string | null): { sources: SourceCounts[]; raw: unknown } | undefined {
  if (json === null) return undefined;
  try {
    const raw: unknown = JSON.parse(json);
    const sources = typeof raw === 'object' && raw !== null && Array.isArray((raw as { sources?: unknown }).sources) ? (raw as { sources: SourceCounts[] }).sources : [];
    return { sources, raw };
  } catch {
    return undefined;
  }
}

/** Inserted + updated over all sources; null when the run reported no result. */
export function recordsSynced(run: Pick<RunRow, 'result_json'>): number | null {
  const result = parseResult(run.result_json);
  if (!result) return null;
  const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
  return result.sources.reduce((sum, s) => sum + count(s.inserted) + count(s.updated), 0);
}

export function runDurationMs(run: Pick<RunRow, 'started_at_ms' | 'ended_at_ms'>): number | null {
  return run.ended_at_ms === null ? null : run.ended_at_ms - run.started_at_ms;
}

/** One sentence: "killed by the supervisor (memory), signal SIGKILL; force-killed (…)", then any stragglers reaped. */
export function describeEnding(run: RunRow): string {
  const stragglers = run.stragglers_killed ?? 0;
  return `${howItEnded(run)}${stragglers > 0 ? `; ${stragglers} process(es) it left behind were SIGKILLed after it ended` : ''}`;
}

function howItEnded(run: RunRow): string {
  const exit = run.signal ? `signal ${run.signal}` : run.exit_code !== null ? `exit code ${run.exit_code}` : 'no exit status recorded';
  const reason = run.reason ? ` (${run.reason})` : '';
  if (RUN_STATUS_FACTS[run.status].countsAsKill) {
    const forced = run.force_killed ? '; force-killed (it outlived the SIGTERM grace period, or crossed the hard limit)' : '';
    return `${run.reason === 'timeout' ? 'timed out and was ' : ''}killed by the supervisor${reason}, ${exit}${forced}`;
  }
  switch (run.status) {
    case 'ok':
      return `finished normally${reason}, ${exit}`;
    case 'failed':
      return `failed${reason}, ${exit}`;
    case 'killed':
    case 'timeout':
      return `killed by the supervisor${reason}, ${exit}`; // answered by the table above
    case 'running':
      return 'still running, or the supervisor died before recording its end';
    case 'skipped':
      return `skipped${reason}`;
    case 'orphaned':
      return `orphaned: the supervisor restarted while it ran${reason}`;
    case 'interrupted':
      return `interrupted${reason}, ${exit}`;
  }
}
