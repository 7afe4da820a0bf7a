// PURE: the sources whose lifecycle step the guard refused, read out of a runner's result, and the alert's words.
import type { ResultMessage } from '../../shared/protocol.ts';
import { lookUp } from './run-messages.ts';
import type { HistoryTarget } from '../history/history-command.ts';

export interface LifecycleRefusal {
  readonly source: string;
  readonly code: string;
  readonly message: string;
  readonly wouldHide: number;
  readonly visible: number;
}

const MAX_TEXT = 500;

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const text = (value: unknown, max: number): string | undefined => (typeof value === 'string' ? value.slice(0, max) : undefined);

/**
 * The refusals in a result. The protocol check does not look inside `lifecycle`, so nothing is trusted here: a refusal
 * without a code or counts still counts as one (a refused step must never go unalerted), with what could be read.
 */
export function lifecycleRefusals(result: ResultMessage | null): LifecycleRefusal[] {
  const refusals: LifecycleRefusal[] = [];
  for (const source of result?.sources ?? []) {
    const lifecycle: unknown = source.lifecycle;
    if (typeof lifecycle !== 'object' || lifecycle === null) continue;
    const refused: unknown = (lifecycle as { refused?: unknown }).refused;
    if (typeof refused !== 'object' || refused === null) continue;
    const r = refused as Record<string, unknown>;
    refusals.push({
      source: source.name.slice(0, 256),
      code: text(r.code, 64) ?? 'UNKNOWN',
      message: text(r.message, MAX_TEXT) ?? '',
      wouldHide: isCount(r.wouldHide) ? r.wouldHide : 0,
      visible: isCount(r.visible) ? r.visible : 0,
    });
  }
  return refusals;
}

/** The `worklist-cancel-refused` alert's message: the counts first, so a one-line notification carries them. */
export function cancelRefusedMessage(runId: number, refusal: LifecycleRefusal, target: HistoryTarget): string {
  const why = refusal.message === '' ? '' : ` (${refusal.message})`;
  return `worklist cancel refused for source ${refusal.source}: ${refusal.code}, would hide ${refusal.wouldHide} of ${refusal.visible} visible rows${why}; nothing was hidden, inserts and date moves still landed; run ${runId}; ${lookUp(runId, target)}`;
}
