// PURE: a runner's messages rebuilt from the fields the supervisor knows, each string capped, before anything is
// logged, stored in history.db (result_json), shown on /memory-status or sent in an alert. A runner is any program:
// the parser checked the shape; this bounds the size (one 40 MB REDCap error once went through all of those).
import { capText } from '../../shared/bounded-text.ts';
import { WORKLIST_CHANGE_REASONS, type LifecycleResult, type ProgressMessage, type ResultMessage, type SourceResult } from '../../shared/protocol.ts';

/** Warnings kept per source; a note says how many more there were. */
export const MAX_WARNINGS_PER_SOURCE = 20;
/** Sources kept per result; more are counted in the result's last source's warnings. */
export const MAX_SOURCES = 100;
/** A name, a code, a phase: short by nature. */
const MAX_NAME_BYTES = 256;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0);

function boundLifecycle(value: unknown): LifecycleResult | undefined {
  if (!isRecord(value)) return undefined;
  const changed = isRecord(value.changed) ? value.changed : {};
  const refused = isRecord(value.refused) ? value.refused : undefined;
  return {
    dryRun: value.dryRun === true,
    changed: Object.fromEntries(WORKLIST_CHANGE_REASONS.filter((r) => changed[r] !== undefined).map((r) => [r, count(changed[r])])),
    kept: count(value.kept),
    visible: count(value.visible),
    snapshotRecords: value.snapshotRecords === null ? null : count(value.snapshotRecords),
    ...(refused ? {
      refused: {
        code: capText(String(refused.code), MAX_NAME_BYTES),
        message: capText(String(refused.message)),
        wouldHide: count(refused.wouldHide),
        visible: count(refused.visible),
      },
    } : {}),
  };
}

function boundWarnings(warnings: readonly string[]): string[] {
  const kept = warnings.slice(0, MAX_WARNINGS_PER_SOURCE).map((w) => capText(w));
  const more = warnings.length - kept.length;
  return more > 0 ? [...kept, `… and ${more} more warning(s) not kept`] : kept;
}

function boundSource(source: SourceResult): SourceResult {
  const { name, status, reason, fetched, mriRows, inserted, updated, unchanged, skipped, warnings, durationMs, error, lifecycle } = source;
  const boundedLifecycle = boundLifecycle(lifecycle);
  return {
    name: capText(name, MAX_NAME_BYTES),
    status,
    ...(typeof reason === 'string' ? { reason: capText(reason) } : {}),
    fetched, mriRows, inserted, updated, unchanged, skipped,
    warnings: boundWarnings(warnings),
    durationMs,
    ...(isRecord(error) ? { error: { code: capText(String(error.code), MAX_NAME_BYTES), message: capText(String(error.message)) } } : {}),
    ...(boundedLifecycle ? { lifecycle: boundedLifecycle } : {}),
  };
}

export function boundResult(result: ResultMessage): ResultMessage {
  const sources = result.sources.slice(0, MAX_SOURCES).map(boundSource);
  const more = result.sources.length - sources.length;
  const last = sources.at(-1);
  if (more > 0 && last) sources[sources.length - 1] = { ...last, warnings: [...last.warnings, `… and ${more} more source(s) not kept`] };
  return { type: 'result', sources, durationMs: result.durationMs };
}

export function boundProgress(message: ProgressMessage): ProgressMessage {
  const { phase, done, total, source } = message;
  return { type: 'progress', phase: capText(phase, MAX_NAME_BYTES), done, total, ...(typeof source === 'string' ? { source: capText(source, MAX_NAME_BYTES) } : {}) };
}
