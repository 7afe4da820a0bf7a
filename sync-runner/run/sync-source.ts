import { AppError } from '../../shared/errors/app-error.ts';
import type { Database } from '../../shared/sqlite.ts';
import type { LifecycleResult, ProgressMessage, SourceResult } from '../../shared/protocol.ts';
import { lifecycleEnabled, type SourceSpec } from '../config/source-spec.ts';
import { interrupted } from '../sources/retry.ts';
import { transformBatch } from '../transform-batch.ts';
import { writeWatermark } from '../watermark.ts';
import { describeWindow, isInsideWindow } from '../window.ts';
import { writeBatch } from '../worklist/upsert-batch.ts';
import { openSource, type OpenSourceContext } from './open-source.ts';
import { runLifecycleStep, type LifecycleContext } from './lifecycle-step.ts';
import { readAhead } from './read-ahead.ts';
import type { RunLog } from './run-log.ts';
import { addTransformed, addWrite, NO_COUNTS, toSourceResult, type ResultExtra } from './source-counts.ts';

export interface SyncSourceContext extends OpenSourceContext, Pick<LifecycleContext, 'journalId' | 'runId' | 'today' | 'report'> {
  readonly db: Database;
  readonly now: () => Date;
  readonly log: RunLog;
  readonly progress: (message: ProgressMessage) => void;
}

// One source, start to finish: window, export, transform, one transaction per batch, then the watermark.
// The run's signal is checked only between batches, so a SIGTERM never cuts a batch in half.
export async function syncSource(spec: SourceSpec, ctx: SyncSourceContext): Promise<SourceResult> {
  const startedAt = ctx.now();
  const started = performance.now();
  let counts = NO_COUNTS;
  const warnings: string[] = [];
  let lifecycle: LifecycleResult | undefined;
  const result = (status: SourceResult['status'], extra: ResultExtra = {}) => toSourceResult(spec.name, status, Math.round(performance.now() - started), counts, warnings, extra);
  if (spec.window !== undefined && !isInsideWindow(spec.window, startedAt)) {
    return result('skipped', { reason: `outside operation window ${describeWindow(spec.window)}` });
  }
  try {
    const { source, watermark, incremental, openSnapshot } = await openSource(spec, ctx, (warning) => warnings.push(warning));
    warnings.push(...source.warnings);
    ctx.log.info(`source ${spec.name}: ${incremental ? 'incremental' : 'full'} sync`, { type: spec.type, ...source.facts, ...(source.totalRecords === undefined ? {} : { records: source.totalRecords }) });
    const settings = { site: spec.site, protocol: spec.protocol, fieldMapping: spec.fieldMapping, idField: source.idField };
    for await (const batch of readAhead(source.batches)) {
      const { entries, counts: transformed } = transformBatch(batch.records, settings);
      // Counted before the write, so a batch whose write fails is still in the failed result's counts.
      counts = addTransformed(counts, transformed);
      counts = addWrite(counts, await writeBatch(ctx.db, entries, spec.name));
      ctx.progress({ type: 'progress', phase: 'sync', done: counts.transformed.records, total: source.totalRecords ?? 0, source: spec.name });
      if (ctx.signal.aborted) break;
    }
    if (ctx.signal.aborted) throw interrupted(ctx.signal.reason);
    // Only now has every batch committed: an interrupted or failed sync leaves the old watermark, so it is redone.
    // A batch that came back empty for ids REDCap had just listed may be a deletion or a glitch: keep the old
    // watermark, so the next sync asks for those records again instead of skipping them for good.
    if (watermark !== undefined && counts.emptyBatches > 0) warnings.push('the watermark was not advanced, so the next sync exports these records again');
    else if (watermark !== undefined) await writeWatermark(ctx.dataDir, spec.name, { lastSuccessStart: startedAt.toISOString(), fingerprint: watermark.fingerprint });
    // After everything above committed: a refused or failed step takes nothing back from the sync.
    if (lifecycleEnabled(spec.lifecycle)) {
      lifecycle = await runLifecycleStep(spec, { ...ctx, openSnapshot, exportedRecords: counts.transformed.records });
      if (lifecycle.refused !== undefined) warnings.push(`lifecycle step refused [${lifecycle.refused.code}]: ${lifecycle.refused.message}; nothing was hidden`);
    }
    return result('ok', lifecycle === undefined ? {} : { lifecycle });
  } catch (error) {
    const failure = error instanceof AppError ? error : new AppError('RUNNER_FAILED', `source ${spec.name}: unexpected ${(error as Error).name ?? 'error'}: ${(error as Error).message ?? String(error)}`, { cause: error });
    return result('failed', { error: { code: failure.code, message: failure.message }, ...(lifecycle === undefined ? {} : { lifecycle }) });
  }
}
