// Issue 11, "done when": a real local HTTP receiver gets a POST for a memory kill of a real leaking child within 2 s
// (p95). Timed on the bench's clock from the independent /proc sampler's first sample over the limit (and, beside
// it, from the leaking pid gone) to the receiver having read the `memory-emergency` POST's body.
import { startAlertReceiver, type ReceivedRequest } from '../../tests/fixtures/alert-receiver.ts';
import { median, percentile, round } from '../lib/stats.ts';
import { DETECTION_LIMIT_MB, detectOnce } from '../supervisor-bench.ts';
import { arrivalOf, arrivalWithin, kindOf } from './arrival.ts';

const TARGET_MS = 2000;
/** After the supervisor has exited (its stop drains due deliveries), how long a POST still may take to show up. */
const LATE_MS = 5000;
const WARN_MB = DETECTION_LIMIT_MB * 0.75;

/** The fields the issue asks of the body (kind, severity, message, run id, RSS, limits, host, timestamps) that are missing or wrong. */
export function missingFields(request: ReceivedRequest): string[] {
  const body = JSON.parse(request.body) as Record<string, unknown>;
  const limits = (typeof body.limits === 'object' && body.limits !== null ? body.limits : {}) as Record<string, unknown>;
  const checks: Record<string, boolean> = {
    method: request.method === 'POST',
    'content-type': request.headers['content-type'] === 'application/json',
    'idempotency-key': typeof body.id === 'string' && request.headers['idempotency-key'] === body.id,
    kind: body.kind === 'memory-emergency',
    severity: body.severity === 'critical',
    message: typeof body.message === 'string' && body.message.length > 0,
    runId: Number.isInteger(body.runId) && (body.runId as number) > 0,
    rssMb: typeof body.rssMb === 'number' && body.rssMb >= DETECTION_LIMIT_MB,
    'limits.warnMb': limits.warnMb === WARN_MB,
    'limits.emergencyMb': limits.emergencyMb === DETECTION_LIMIT_MB,
    'limits.hardLimitMb': typeof limits.hardLimitMb === 'number' && limits.hardLimitMb > DETECTION_LIMIT_MB,
    host: typeof body.host === 'string' && body.host.length > 0,
    raisedAt: typeof body.raisedAt === 'string' && Date.parse(body.raisedAt) === body.raisedAtMs,
  };
  return Object.entries(checks).filter(([, ok]) => !ok).map(([name]) => name);
}

const spread = (values: readonly number[]) => ({ p50: round(median(values)), p95: round(percentile(values, 95)), max: round(Math.max(...values)) });

export async function benchKillToPost(runs = 20, rateMbPerSec = 200) {
  const fromCrossing: number[] = [];
  const fromGone: number[] = [];
  const fromRaised: number[] = [];
  const missing = new Set<string>();
  let received = 0;
  let complete = 0;
  for (let i = 0; i < runs; i++) {
    const receiver = await startAlertReceiver();
    try {
      // Every kind goes to the sink, as with a webhook configured without `kinds`: the warning's POST comes first.
      const arrival = arrivalOf(receiver, (r) => kindOf(r) === 'memory-emergency');
      const run = await detectOnce(rateMbPerSec, {}, { alerts: { webhooks: [{ url: `${receiver.origin}/hook` }] } });
      const seen = await arrivalWithin(arrival, LATE_MS);
      if (!seen) {
        fromCrossing.push(Number.POSITIVE_INFINITY);
        continue;
      }
      received += 1;
      fromCrossing.push(seen.at - run.crossedAt);
      fromGone.push(seen.at - run.goneAt);
      fromRaised.push(seen.wallMs - (JSON.parse(seen.request.body) as { raisedAtMs: number }).raisedAtMs);
      const wrong = missingFields(seen.request);
      for (const name of wrong) missing.add(name);
      if (wrong.length === 0) complete += 1;
    } finally {
      await receiver.close();
    }
  }
  const crossing = spread(fromCrossing);
  const result = {
    runs, rateMbPerSec, limitMb: DETECTION_LIMIT_MB, received, targetMs: TARGET_MS,
    /** The figure: the sampler's first sample over the limit → the POST read by the receiver. */
    crossingToPostMs: crossing,
    /** The leaking pid gone → the POST (negative: the POST came before the pid was gone). */
    goneToPostMs: spread(fromGone),
    /** The alert row's raisedAtMs → the POST (wall clocks of two processes on one host): the outbox's own share. */
    raisedToPostMs: spread(fromRaised),
    met: received === runs && crossing.p95 <= TARGET_MS,
    bodiesWithAllFields: complete,
    missingFields: [...missing],
  };
  console.log(`kill → webhook POST, leak ${rateMbPerSec} MB/s vs ${DETECTION_LIMIT_MB} MB:`, JSON.stringify(result));
  return result;
}
