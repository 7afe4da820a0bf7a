// Issue 11, "done when": a hanging sink does not delay a kill. The detection measurement of the detection suite, with
// no sink (A) and with a webhook whose server accepts every request and never answers (B), interleaved A, B, A, B…
// so that the load of a shared machine falls on both alike; the ratios B / A are the figure.
import { startAlertReceiver } from '../../tests/fixtures/alert-receiver.ts';
import { round } from '../lib/stats.ts';
import { DETECTION_LIMIT_MB, detectionSummary, detectOnce, type DetectionRun } from '../supervisor-bench.ts';
import { arrivalOf, arrivalWithin, kindOf } from './arrival.ts';

/** The supervisor's stop drains for at most 3 s, then the process exits: the POST has come by then or never will. */
const LATE_MS = 5000;

interface HangingRun { run: DetectionRun; heldAtCrossing: boolean; emergencyReceived: boolean }

/** One B run: a fresh receiver told to hang, closed (its held sockets destroyed) whatever happens. */
async function detectWithHangingSink(rateMbPerSec: number): Promise<HangingRun> {
  const receiver = await startAlertReceiver();
  receiver.hang(true);
  try {
    const first = arrivalOf(receiver, () => true);
    const emergency = arrivalOf(receiver, (r) => kindOf(r) === 'memory-emergency');
    const run = await detectOnce(rateMbPerSec, {}, { alerts: { webhooks: [{ url: `${receiver.origin}/hook` }] } });
    const held = await arrivalWithin(first, LATE_MS);
    return {
      run,
      // A request the receiver never answered was already open when the tree crossed the limit.
      heldAtCrossing: held !== undefined && held.at < run.crossedAt,
      emergencyReceived: (await arrivalWithin(emergency, LATE_MS)) !== undefined,
    };
  } finally {
    await receiver.close();
  }
}

const ratio = (b: number, a: number): number => round(b / a, 2);

export async function benchHangingSink(reps: Record<number, number> = { 50: 10, 200: 20 }) {
  const out: Record<string, unknown> = {};
  for (const [rateText, pairs] of Object.entries(reps)) {
    const rate = Number(rateText);
    const none: DetectionRun[] = [];
    const hanging: HangingRun[] = [];
    for (let i = 0; i < pairs; i++) {
      none.push(await detectOnce(rate));
      hanging.push(await detectWithHangingSink(rate));
    }
    const noSink = detectionSummary(none, rate);
    const hangingSink = detectionSummary(hanging.map((h) => h.run), rate);
    out[`${rate}MBps`] = {
      pairs,
      noSink,
      hangingSink,
      ratioHangingToNone: {
        latencyP50: ratio(hangingSink.latencyMsP50, noSink.latencyMsP50),
        latencyP99: ratio(hangingSink.latencyMsP99, noSink.latencyMsP99),
        overshootP50: ratio(hangingSink.overshootMbP50, noSink.overshootMbP50),
      },
      sinkHeldARequestAtCrossing: hanging.filter((h) => h.heldAtCrossing).length,
      emergencyPostReceived: hanging.filter((h) => h.emergencyReceived).length,
    };
    console.log(`leak ${rate} MB/s vs ${DETECTION_LIMIT_MB} MB, no sink vs a sink that never answers:`, JSON.stringify(out[`${rate}MBps`]));
  }
  return out;
}
