// The `alerts` suite (`npm run bench -- alerts`): the two figures issue 11 asks of alert delivery and issue 22's kill
// latency beside hostile sinks, one part per file in bench/alerts/. The host's load average is kept beside them:
// these are timings on a machine others share.
import { cpus, loadavg } from 'node:os';
import { benchHangingSink } from './alerts/hanging-sink.ts';
import { benchHostileSinks } from './alerts/hostile-sinks.ts';
import { benchKillToPost } from './alerts/kill-to-post.ts';
import { round } from './lib/stats.ts';

export async function benchAlerts() {
  const started = performance.now();
  const loadStart = round(loadavg()[0] ?? Number.NaN, 2);
  const killToPost = await benchKillToPost();
  const hangingSink = await benchHangingSink();
  const hostileSinks = await benchHostileSinks();
  const host = { cores: cpus().length, loadAverage1mStart: loadStart, loadAverage1mEnd: round(loadavg()[0] ?? Number.NaN, 2) };
  const totalS = round((performance.now() - started) / 1000);
  console.log(`alerts: ${totalS} s in all; host ${JSON.stringify(host)}`);
  return { killToPost, hangingSink, hostileSinks, host, totalS };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchAlerts(), null, 2));
}
