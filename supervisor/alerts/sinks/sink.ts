import type { AlertPayload } from '../payload.ts';

// A delivery target. `deliver` resolves when the sink took the alert and rejects (a DeliveryError) when it did not;
// it must stop when `signal` aborts (the attempt's deadline), though the worker never waits past it anyway.
export interface Sink {
  readonly name: string;
  deliver(payload: AlertPayload, signal: AbortSignal): Promise<void>;
}
