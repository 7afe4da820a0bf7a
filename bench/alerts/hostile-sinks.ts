// Issue 22, "done when": kill latency unchanged while a hostile sink is configured. The detection measurement of the
// detection suite with no sink and with each hostile sink (a webhook whose answer never ends, one that answers a gzip
// bomb, a command that forks a child and hangs), interleaved run by run so that a shared machine's load falls on
// all alike; the ratios hostile / none are the figure. The memory-warn alert (at 75 % of the line) starts the hostile
// exchange just before the crossing. The server runs in a process of its own, so pumping an endless body never
// delays this process's /proc sampler, which times the kill.
import { randomInt } from 'node:crypto';
import { pidsWithArg } from '../../tests/helpers/proc-status.ts';
import { round } from '../lib/stats.ts';
import { DETECTION_LIMIT_MB, detectionSummary, detectOnce, type DetectionRun } from '../supervisor-bench.ts';
import { startHostileServer, type HostileServer } from './hostile-server.ts';

interface Variant {
  readonly name: string;
  /** Whether the sink talks to the hostile HTTP server (so its first request can be timed against the crossing). */
  readonly http: boolean;
  /** The `alerts` config for one run (undefined: no sink); `marker` tags what a command sink starts. */
  alerts(server: HostileServer, marker: string): Record<string, unknown> | undefined;
}

const VARIANTS: readonly Variant[] = [
  { name: 'none', http: false, alerts: () => undefined },
  { name: 'endlessWebhook', http: true, alerts: (server) => ({ webhooks: [{ url: `${server.origin}/endless/hook` }] }) },
  { name: 'gzipBombWebhook', http: true, alerts: (server) => ({ webhooks: [{ url: `${server.origin}/bomb/hook` }] }) },
  {
    name: 'hangingForkingCommand',
    http: false,
    alerts: (_server, marker) => ({ commands: [{ command: '/bin/sh', args: ['-c', `sleep ${marker} & sleep ${marker}`], timeoutMs: 1000 }] }),
  },
];

interface HostileRun { readonly run: DetectionRun; readonly answeredBeforeCrossing: boolean; readonly orphans: number }

async function detectWith(variant: Variant, rate: number, server: HostileServer): Promise<HostileRun> {
  const marker = `1002.${randomInt(100_000, 999_999)}`;
  const before = server.arrivals.length;
  const alerts = variant.alerts(server, marker);
  const run = await detectOnce(rate, {}, alerts === undefined ? {} : { alerts });
  const first = server.arrivals[before];
  return {
    run,
    answeredBeforeCrossing: first !== undefined && first < run.crossedAt,
    // run-once has exited by now: anything of the command's group still alive would be an orphan.
    orphans: (await pidsWithArg(marker)).length,
  };
}

const ratio = (b: number, a: number): number => round(b / a, 2);

export async function benchHostileSinks(reps: Record<number, number> = { 50: 6, 200: 10 }) {
  const server = await startHostileServer();
  const out: Record<string, unknown> = {};
  try {
    for (const [rateText, rounds] of Object.entries(reps)) {
      const rate = Number(rateText);
      const runs = new Map<string, HostileRun[]>(VARIANTS.map((v) => [v.name, []]));
      for (let i = 0; i < rounds; i++) for (const v of VARIANTS) runs.get(v.name)?.push(await detectWith(v, rate, server));
      const none = detectionSummary((runs.get('none') ?? []).map((r) => r.run), rate);
      const byVariant: Record<string, unknown> = { none };
      for (const v of VARIANTS.slice(1)) {
        const hostile = runs.get(v.name) ?? [];
        const summary = detectionSummary(hostile.map((r) => r.run), rate);
        byVariant[v.name] = {
          ...summary,
          ratioToNone: { latencyP50: ratio(summary.latencyMsP50, none.latencyMsP50), latencyP99: ratio(summary.latencyMsP99, none.latencyMsP99) },
          ...(v.http ? { hostileExchangeBeforeCrossing: hostile.filter((r) => r.answeredBeforeCrossing).length } : {}),
          orphansAfterExit: hostile.reduce((n, r) => n + r.orphans, 0),
        };
      }
      out[`${rate}MBps`] = { rounds, ...byVariant };
      console.log(`leak ${rate} MB/s vs ${DETECTION_LIMIT_MB} MB, no sink vs hostile sinks:`, JSON.stringify(out[`${rate}MBps`]));
    }
  } finally {
    await server.close();
  }
  return { ...out, bombWireBytes: server.bombWireBytes };
}
