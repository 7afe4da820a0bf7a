import { AppError } from '../../shared/errors/app-error.ts';
import type { Database } from '../../shared/sqlite.ts';
import type { LifecycleResult, ProgressMessage, SourceResult } from '../../shared/protocol.ts';
import { lifecycleEnabled, type SourceSpec } from '../config/source-spec.ts';
import { mergeMriRows } from '../records.ts';
import { interrupted } from '../sources/retry.ts';
import type { SourceBatch } from '../sources/source.ts';
import { toWorklistEntry } from '../transform.ts';
import type { WorklistEntry } from '../worklist/worklist-entry.ts';
import { writeWatermark } from '../watermark.ts';
import { describeWindow, isInsideWindow } from '../window.ts';
import { writeBatch } from '../worklist/upsert-batch.ts';
import { openSource, type OpenSourceContext } from './open-source.ts';
import { runLifecycleStep, type LifecycleContext } from './lifecycle-step.ts';
import { readAhead } from './read-ahead.ts';
import type { RunLog } from './run-log.ts';
import { SourceTally } from './source-tally.ts';

export interface SyncSourceContext extends OpenSourceContext, Pick<LifecycleContext, 'journalId' | 'runId' | 'today' | 'report'> {
  readonly db: Database;
  readonly now: () => Date;
  readonly log: RunLog;
  readonly progress: (message: ProgressMessage) => void;
}

function toEntries(batch: SourceBatch, spec: SourceSpec, idField: string, tally: SourceTally): WorklistEntry[] {
  tally.mriRows += batch.refusedMriRows;
  tally.addRefusals(batch.refusals, batch.refusedMriRows);
  const entries: WorklistEntry[] = [];
  for (const record of batch.records) {
    for (const row of mergeMriRows(record)) {
      tally.mriRows++;
      const outcome = toWorklistEntry(row, spec);
      if (outcome.kind === 'skipped' && outcome.reason === 'missing study_id') {
        tally.skipped++;
        tally.missingStudyId++;
        continue;
      }
      if (outcome.kind === 'skipped') {
        const { column, from, length, max } = outcome.tooLong;
        tally.addRefusals([{ recordId: row[idField] ?? '(no readable id)', field: `${column} (${from})`, problem: `is ${length} characters, at most ${max}` }], 1);
        continue;
      }
      if (outcome.unreadable.includes('date')) tally.unreadableDates++;
      if (outcome.unreadable.includes('time')) tally.unreadableTimes++;
      const record = row[idField];
      const instance = row.mri_instance;
      entries.push(record === undefined || instance === undefined ? outcome.entry : { ...outcome.entry, origin: { record, instance } });
    }
  }
  return entries;
}

// One source, start to finish: window, export, transform, one transaction per batch, then the watermark.
// The run's signal is checked only between batches, so a SIGTERM never cuts a batch in half.
export async function syncSource(spec: SourceSpec, ctx: SyncSourceContext): Promise<SourceResult> {
  const startedAt = ctx.now();
  const started = performance.now();
  const tally = new SourceTally();
  let lifecycle: LifecycleResult | undefined;
  const elapsed = () => Math.round(performance.now() - started);
  if (spec.window !== undefined && !isInsideWindow(spec.window, startedAt)) {
    return tally.toResult(spec.name, 'skipped', elapsed(), { reason: `outside operation window ${describeWindow(spec.window)}` });
  }
  try {
    const { source, watermark, incremental, openSnapshot } = await openSource(spec, ctx, (warning) => tally.warnings.push(warning));
    tally.warnings.push(...source.warnings);
    ctx.log.info(`source ${spec.name}: ${incremental ? 'incremental' : 'full'} sync`, { type: spec.type, ...source.facts, ...(source.totalRecords === undefined ? {} : { records: source.totalRecords }) });
    for await (const batch of readAhead(source.batches)) {
      if (batch.records.length === 0) tally.emptyBatches++;
      tally.fetched += batch.records.length;
      tally.addWrite(await writeBatch(ctx.db, toEntries(batch, spec, source.idField, tally), spec.name));
      ctx.progress({ type: 'progress', phase: 'sync', done: tally.fetched, total: source.totalRecords ?? 0, source: spec.name });
      if (ctx.signal.aborted) break;
    }
    if (ctx.signal.aborted) throw interrupted(ctx.signal.reason);
    // Only now has every batch committed: an interrupted or failed sync leaves the old watermark, so it is redone.
    // A batch that came back empty for ids REDCap had just listed may be a deletion or a glitch: keep the old
    // watermark, so the next sync asks for those records again instead of skipping them for good.
    if (watermark !== undefined && tally.emptyBatches > 0) tally.warnings.push('the watermark was not advanced, so the next sync exports these records again');
    else if (watermark !== undefined) await writeWatermark(ctx.dataDir, spec.name, { lastSuccessStart: startedAt.toISOString(), fingerprint: watermark.fingerprint });
    // After everything above committed: a refused or failed step takes nothing back from the sync.
    if (lifecycleEnabled(spec.lifecycle)) {
      lifecycle = await runLifecycleStep(spec, { ...ctx, openSnapshot, exportedRecords: tally.fetched });
      if (lifecycle.refused !== undefined) tally.warnings.push(`lifecycle step refused [${lifecycle.refused.code}]: ${lifecycle.refused.message}; nothing was hidden`);
    }
    return tally.toResult(spec.name, 'ok', elapsed(), lifecycle === undefined ? {} : { lifecycle });
  } catch (error) {
    const failure = error instanceof AppError ? error : new AppError('RUNNER_FAILED', `source ${spec.name}: unexpected ${(error as Error).name ?? 'error'}: ${(error as Error).message ?? String(error)}`, { cause: error });
    return tally.toResult(spec.name, 'failed', elapsed(), { error: { code: failure.code, message: failure.message }, ...(lifecycle === undefined ? {} : { lifecycle }) });
  }
}
