import type { AlertPayload } from '../payload.ts';

/** What a delivered attempt reports besides success: a bound it hit on the way (an answer cut at its cap). */
export interface Delivered {
  /** Kept in the row's last_error and logged once per sink, e.g. "answer cut at 16 KiB". */
  readonly boundHit?: string;
}

// A delivery target. `deliver` resolves when the sink took the alert and rejects (a DeliveryError) when it did not.
// It must end soon after `signal` aborts (the attempt's deadline or a stop): the worker keeps the row from its next
// attempt until it has, so two attempts of one alert never overlap.
export interface Sink {
  readonly name: string;
  /**
   * A deadline the sink keeps itself (a command's `timeoutMs`, with its own words for it); the worker's signal then
   * only backs it up, a wind-down later. Without it the attempt's deadline is `alerts.timeoutMs`, from the signal.
   */
  readonly ownTimeoutMs?: number;
  deliver(payload: AlertPayload, signal: AbortSignal): Promise<Delivered>;
}
