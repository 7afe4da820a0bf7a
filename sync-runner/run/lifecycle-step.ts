import { MAX_CHANGES_PER_MESSAGE, type LifecycleResult, type WorklistChange, type WorklistChangeReason, type WorklistChangesMessage } from '../../shared/protocol.ts';
import type { Database } from '../../shared/sqlite.ts';
import type { SourceSpec } from '../config/source-spec.ts';
import { interrupted } from '../sources/retry.ts';
import type { SnapshotSource } from '../sources/snapshot-source.ts';
import { planLifecycle, type LifecyclePlan } from '../worklist/lifecycle-plan.ts';
import { applyChanges, readOwnedRows } from '../worklist/lifecycle-store.ts';
import { readMeta, writeMeta } from '../worklist/lifecycle-tables.ts';
import { logLifecyclePlan } from './lifecycle-log.ts';
import type { RunLog } from './run-log.ts';
import { takeSnapshot } from './take-snapshot.ts';

export interface LifecycleContext {
  readonly db: Database;
  readonly journalId: string;
  /** The supervisor's run id, stamped on each change; null when the runner runs alone. */
  readonly runId: number | null;
  readonly now: () => Date;
  /** The local date, YYYY-MM-DD, that expiry counts from. */
  readonly today: string;
  readonly signal: AbortSignal;
  readonly log: RunLog;
  /** Sends committed changes to the supervisor (over the runner's IPC sender). */
  readonly report: (message: WorklistChangesMessage) => Promise<void>;
  readonly openSnapshot: () => Promise<SnapshotSource>;
  /** Records this run's export returned. */
  readonly exportedRecords: number;
}

const snapshotKey = (source: string) => `snapshot_at:${source}`;

/** Whether this run takes the snapshot: cancel_removed is on and the cadence says it is time. */
async function snapshotDue(spec: SourceSpec, ctx: LifecycleContext): Promise<boolean> {
  if (!spec.lifecycle.cancelRemoved) return false;
  if (spec.lifecycle.snapshotEveryMinutes === 0) return true;
  const last = Number(await readMeta(ctx.db, snapshotKey(spec.name)));
  const now = ctx.now().getTime();
  // A last time in the future means the clock went back: take one now rather than wait for it.
  return !Number.isFinite(last) || last > now || now - last >= spec.lifecycle.snapshotEveryMinutes * 60_000;
}

function counts(changes: readonly { readonly reason: WorklistChangeReason }[]): Partial<Record<WorklistChangeReason, number>> {
  const out: Partial<Record<WorklistChangeReason, number>> = {};
  for (const { reason } of changes) out[reason] = (out[reason] ?? 0) + 1;
  return out;
}

// One source's lifecycle step, after its sync committed: read the rows it owns, take the snapshot when due, plan,
// then (unless refused or a dry run) commit the changes a message's worth at a time, each chunk in one transaction
// with its journal entries, and report each chunk once it has committed.
export async function runLifecycleStep(spec: SourceSpec, ctx: LifecycleContext): Promise<LifecycleResult> {
  const rows = await readOwnedRows(ctx.db, spec.name);
  // A source that owns no row has nothing a snapshot could judge: REDCap is not asked.
  const due = rows.length > 0 && (await snapshotDue(spec, ctx));
  const snapshot = due ? await takeSnapshot(ctx.openSnapshot, new Set(rows.map((r) => r.record)), ctx.signal) : undefined;
  const plan: LifecyclePlan = planLifecycle({ rows, snapshot, exportedRecords: ctx.exportedRecords, today: ctx.today, settings: spec.lifecycle });
  logLifecyclePlan(ctx.log, spec.name, plan, spec.lifecycle.dryRun);
  const planned = [...plan.hide, ...plan.restore];
  const result: LifecycleResult = {
    dryRun: spec.lifecycle.dryRun,
    changed: counts(planned),
    kept: plan.kept.length,
    visible: plan.visible,
    snapshotRecords: snapshot?.records ?? null,
    ...(plan.refused === undefined ? {} : { refused: plan.refused }),
  };
  if (snapshot !== undefined && snapshot.incomplete === undefined) await writeMeta(ctx.db, snapshotKey(spec.name), String(ctx.now().getTime()));
  if (spec.lifecycle.dryRun || plan.refused !== undefined) return result;
  const applied: WorklistChange[] = [];
  for (let i = 0; i < planned.length; i += MAX_CHANGES_PER_MESSAGE) {
    if (ctx.signal.aborted) throw interrupted(ctx.signal.reason);
    const stamp = { journalId: ctx.journalId, source: spec.name, runId: ctx.runId, atMs: ctx.now().getTime() };
    const changes = await applyChanges(ctx.db, planned.slice(i, i + MAX_CHANGES_PER_MESSAGE), stamp);
    applied.push(...changes);
    if (changes.length > 0) await ctx.report({ type: 'worklist-changes', changes });
  }
  // A row the scanner took between the read and the write was left alone: count what was committed.
  return { ...result, changed: counts(applied) };
}
