// When a request reaches the alert receiver, on the bench's own clock (the one its /proc sampler uses), and a bounded
// wait for it: a request that never comes ends the wait at a deadline instead of hanging the bench.
import { setTimeout as delay } from 'node:timers/promises';
import type { AlertReceiver, ReceivedRequest } from '../../tests/fixtures/alert-receiver.ts';

export interface Arrival {
  readonly request: ReceivedRequest;
  /** performance.now() when the request's body had been read. */
  readonly at: number;
  /** Date.now() at the same instant, to compare with the payload's raisedAtMs (the supervisor's wall clock). */
  readonly wallMs: number;
}

/**
 * Starts listening now, before the request can come: the receiver resolves its waiters as the body ends, so `at` is
 * the arrival itself, not the moment someone asked. Call it before starting the run.
 */
export function arrivalOf(receiver: AlertReceiver, match: (request: ReceivedRequest) => boolean): Promise<Arrival> {
  return receiver.waitFor(match).then((request) => ({ request, at: performance.now(), wallMs: Date.now() }));
}

/** The arrival, or undefined when it has not come within `ms`; the timer is released either way. */
export async function arrivalWithin(arrival: Promise<Arrival>, ms: number): Promise<Arrival | undefined> {
  const deadline = new AbortController();
  try {
    return await Promise.race([arrival, delay(ms, undefined, { signal: deadline.signal }).catch(() => undefined)]);
  } finally {
    deadline.abort();
  }
}

/** The alert kind of a received webhook body, or undefined for a body that is not our JSON. */
export function kindOf(request: ReceivedRequest): string | undefined {
  try {
    const body = JSON.parse(request.body) as { kind?: unknown };
    return typeof body.kind === 'string' ? body.kind : undefined;
  } catch {
    return undefined;
  }
}
