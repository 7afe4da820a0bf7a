// PURE: a run's worklist status changes and its sources' lifecycle results, in the words of `history run N`.
import { WORKLIST_CHANGE_REASONS } from '../../shared/protocol.ts';

/** `record-deleted 2, restored 1`, in the protocol's order of reasons; `none` for a run that changed nothing. */
export function worklistCountsText(counts: Readonly<Record<string, number>>): string {
  const known = WORKLIST_CHANGE_REASONS.filter((reason) => (counts[reason] ?? 0) > 0);
  const others = Object.keys(counts).filter((reason) => !(WORKLIST_CHANGE_REASONS as readonly string[]).includes(reason) && (counts[reason] ?? 0) > 0).sort();
  const parts = [...known, ...others].map((reason) => `${reason} ${counts[reason] ?? 0}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/** The `worklist` line of `history run N`: the changes history holds for the run, and where to list them. */
export function runWorklistText(runId: number, counts: Readonly<Record<string, number>>): string {
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  if (total === 0) return 'no status changes recorded';
  return `${total} status change${total === 1 ? '' : 's'}: ${worklistCountsText(counts)} (\`history worklist --run ${runId}\` lists them)`;
}

const count = (value: unknown): string => (typeof value === 'number' && Number.isFinite(value) ? String(value) : '?');

/**
 * One line for a source's stored lifecycle result (the runner's, so read without trust), or undefined when the step
 * did not run: what it changed by reason, what it kept, and a refusal with its code and counts.
 */
export function lifecycleText(lifecycle: unknown): string | undefined {
  if (typeof lifecycle !== 'object' || lifecycle === null) return undefined;
  const l = lifecycle as Record<string, unknown>;
  const changed = typeof l.changed === 'object' && l.changed !== null ? (l.changed as Record<string, unknown>) : {};
  const counts = Object.fromEntries(Object.entries(changed).filter((e): e is [string, number] => typeof e[1] === 'number'));
  const head = `lifecycle${l.dryRun === true ? ' (dry run: nothing changed)' : ''}: ${l.dryRun === true ? 'would change' : 'changed'} ${worklistCountsText(counts)}, kept ${count(l.kept)}, visible ${count(l.visible)}, snapshot ${l.snapshotRecords === null ? 'not taken' : `${count(l.snapshotRecords)} records`}`;
  if (typeof l.refused !== 'object' || l.refused === null) return head;
  const r = l.refused as Record<string, unknown>;
  const message = typeof r.message === 'string' && r.message !== '' ? `: ${r.message.slice(0, 300)}` : '';
  return `${head}; REFUSED ${typeof r.code === 'string' ? r.code.slice(0, 64) : 'UNKNOWN'}, would hide ${count(r.wouldHide)} of ${count(r.visible)} visible rows${message}`;
}
