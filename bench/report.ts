// bench/REPORT.md from the JSON that `npm run bench` leaves in bench/results/: the machine, a table per suite
// (the newest result of each suite wins), the targets met or missed, and an SVG chart of detection latency.
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAfterTables } from './before-after/table.ts';
import { at, fmt, isObject, num, table, type Json } from './lib/markdown.ts';
import { root } from './lib/spawn-bin.ts';

interface SuiteResult { at: string; file: string; machine: Json | undefined; figures: unknown }

const RESULTS = join(root, 'bench', 'results');
const REPORT = join(root, 'bench', 'REPORT.md');
const CHART = join(root, 'bench', 'report-chart.svg');

/** The newest figures of every suite found in bench/results/*.json. */
export function loadResults(dir = RESULTS): Map<string, SuiteResult> {
  const suites = new Map<string, SuiteResult>();
  let files: string[] = [];
  try { files = readdirSync(dir).filter((f) => f.endsWith('.json')); } catch { /* no results yet */ }
  for (const file of files) {
    let data: unknown;
    try { data = JSON.parse(readFileSync(join(dir, file), 'utf8')); } catch { continue; }
    if (!isObject(data)) continue;
    const writtenAt = typeof data.at === 'string' ? data.at : '';
    for (const [name, figures] of Object.entries(data)) {
      if (name === 'at' || name === 'machine') continue;
      const seen = suites.get(name);
      if (!seen || seen.at < writtenAt) suites.set(name, { at: writtenAt, file, machine: isObject(data.machine) ? data.machine : undefined, figures });
    }
  }
  return suites;
}


/** Any suite without its own renderer: one row per leaf value (long arrays such as curves are summarised). */
function genericTable(figures: unknown): string {
  const rows: [string, unknown][] = [];
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) rows.push([path, value.length > 8 ? `${value.length} points` : value]);
    else if (isObject(value)) for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
    else rows.push([path, value]);
  };
  walk(figures, '');
  return table(['figure', 'value'], rows);
}

function detectionTable(figures: Json): string {
  const rows = Object.entries(figures).filter(([, v]) => isObject(v)).map(([rate, v]) => {
    const f = v as Json;
    const ok = num(f.latencyMsP99) <= 250 && num(f.overshootMbMax) <= num(f.overshootTargetMb);
    return [rate, f.runs, f.latencyMsP50, f.latencyMsP99, f.overshootMbMax, f.overshootTargetMb, f.supervisorCpuPercentMedian, ok ? 'met' : '**missed**'];
  });
  return table(['leak rate', 'runs', 'latency p50 ms', 'latency p99 ms (≤ 250)', 'overshoot max MB', 'overshoot target MB', 'supervisor CPU %', 'targets'], rows);
}

function soakTable(f: Json): string {
  const flatFds = Number.isFinite(num(f.fdSlopePer1000Runs)) ? Math.abs(num(f.fdSlopePer1000Runs)) < 1 : num(f.fdsEnd) <= num(f.fdsStart) + 2;
  return table(['figure', 'value', 'target'], [
    ['runs (ok / failed / overlap skips)', `${fmt(f.runs)} / ${fmt(f.failedRuns)} / ${fmt(f.skippedTicks)}`, '≥ 10,000 runs'],
    ['supervisor RSS start → end (MB)', `${fmt(f.rssMbStart)} → ${fmt(f.rssMbEnd)}`, ''],
    ['growth, least squares (MB / 1,000 runs)', f.growthMbPer1000Runs, num(f.growthMbPer1000Runs) < 1 ? '< 1: met' : '< 1: **missed**'],
    ['growth over the second half, warm (MB / 1,000 runs)', f.warmGrowthMbPer1000Runs, num(f.warmGrowthMbPer1000Runs) < 1 ? '< 1: met' : '< 1: **missed**'],
    ['fds start → end (max); slope per 1,000 runs', `${fmt(f.fdsStart)} → ${fmt(f.fdsEnd)} (${fmt(f.fdsMax)}); ${fmt(f.fdSlopePer1000Runs)}`, flatFds ? 'flat: met' : 'flat: **missed**'],
    ['history.db size (MB)', f.historyDbMb, ''],
    ['wall time per run (ms) / median run (ms)', `${fmt(f.msPerRunWallClock)} / ${fmt(f.runDurationMsMedian)}`, ''],
    ['total (min)', f.totalMinutes, ''],
  ]);
}

function peersTables(f: Json): string {
  const variants = isObject(f.variants) ? f.variants : {};
  const rows: unknown[][] = [];
  for (const [name, rates] of Object.entries(variants)) {
    if (!isObject(rates)) continue;
    for (const [rate, v] of Object.entries(rates)) {
      const s = isObject(v) ? v : {};
      rows.push([name, rate, `${fmt(s.detected)}/${fmt(s.runs)}`, s.latencyMsP50, s.latencyMsP99, s.overshootMbP50, s.overshootMbMax, s.lowerBound ? 'some runs capped: lower bounds' : '']);
    }
  }
  const grand = isObject(f.grandchild) ? f.grandchild : {};
  const grandRows = Object.entries(grand).map(([name, v]) => {
    const s = isObject(v) ? v : {};
    return [name, num(s.detected) > 0 ? `detected in ${fmt(s.latencyMsP50)} ms` : `**not detected** (stopped by the bench after ${fmt(s.latencyMsP50)} ms over the limit)`, s.overshootMbMax];
  });
  const idle = isObject(f.idleRssMb) ? f.idleRssMb : {};
  const ratios = isObject(f.ratiosToOurs) ? f.ratiosToOurs : {};
  const ratioKeys = [...new Set(Object.values(ratios).flatMap((r) => (isObject(r) ? Object.keys(r) : [])))];
  return [
    `PM2 ${fmt(f.pm2Version)}, limit ${fmt(f.limitMb)} MB. Latency: the tree first seen at or over the limit by the bench's own /proc sampler (2 ms) → the leaking pid gone.`,
    '',
    table(['supervisor', 'leak rate', 'detected', 'latency p50 ms', 'latency p99 ms', 'overshoot p50 MB', 'overshoot max MB', 'note'], rows),
    '',
    '**Grandchild leak** (100 MB/s in a child of the supervised process):',
    '',
    table(['supervisor', 'outcome', 'overshoot MB'], grandRows),
    '',
    '**Daemon idle RSS** (MB): ' + Object.entries(idle).map(([k, v]) => `${k} ${fmt(v)}`).join(', '),
    '',
    '**Ratios, theirs / ours** (higher is worse for them; for idle RSS lower is better for them):',
    '',
    table(['figure', ...Object.keys(ratios)], ratioKeys.map((k) => [k, ...Object.values(ratios).map((r) => (isObject(r) ? r[k] : undefined))])),
  ].join('\n');
}

/** The hardening suite (issue 14): a short table or line per part instead of seventy generic rows. */
function hardeningTables(f: Json): string {
  const { requestDeadline: rd, lockContention: lock, treeSampling: tree, statusFlood: flood } = f;
  const stall = (mode: string) => {
    const m = at(rd, mode);
    return [mode, `${fmt(at(m, 'attempts'))}/${fmt(at(m, 'attemptsExpected'))}`, at(m, 'overshootMs', 'p50'), at(m, 'overshootMs', 'max'), at(m, 'runnerWallMs', 'p50'), at(m, 'firstBatchToExitMs', 'p50'), `${fmt(at(m, 'failedWithRedcapUnreachable'))}/${fmt(at(m, 'runs'))}`];
  };
  const perSample = at(tree, 'perSampleUs');
  const variants = isObject(perSample) ? Object.entries(perSample) : [];
  const probes = (key: string, label: string) => [label, `${fmt(at(flood, key, 'ok'))}/${fmt(at(flood, key, 'of'))}`, at(flood, key, 'latencyMs', 'p50'), at(flood, key, 'latencyMs', 'p99'), at(flood, key, 'latencyMs', 'max')];
  const decided = (k: string) => fmt(at(lock, 'goToAllDecidedMs', k));
  return [
    `**REDCap request deadline under GC pressure**: request_timeout_ms ${fmt(at(rd, 'timeoutMs'))}, ${fmt(at(rd, 'maxAttempts'))} attempts a batch; overshoot = on the server, arrival → connection closed, minus the timeout.`,
    '',
    table(['stall', 'attempts cut', 'overshoot p50 ms', 'overshoot max ms', 'runner wall p50 ms', 'first batch → exit p50 ms', 'REDCAP_UNREACHABLE'], [stall('hang'), stall('drip')]),
    '',
    `**Lock contention**: ${fmt(at(lock, 'trials'))} trials of ${fmt(at(lock, 'contendersPerTrial'))} processes against one stale lock: exactly one holder in ${fmt(at(lock, 'trialsWithExactlyOneHolder'))} (holders ${fmt(at(lock, 'holdersMin'))}–${fmt(at(lock, 'holdersMax'))}), ${fmt(at(lock, 'leftoverFiles'))} files left behind, other refusals: ${fmt(at(lock, 'otherRefusals'))}. Go → all decided: p50 ${decided('p50')} ms, p90 ${decided('p90')} ms, max ${decided('max')} ms.`,
    '',
    `**Tree sampling cost** per sample, ${fmt(at(tree, 'iterations'))} interleaved iterations, a tree of ${fmt(at(tree, 'treeProcesses'))} among ${fmt(at(tree, 'hostProcesses'))} host processes; RunTree / without memory ×${fmt(at(tree, 'ratioRunTreeToWithoutMemory'))} (${fmt(at(tree, 'extraUsPerSample'))} µs more):`,
    '',
    table(['variant', 'p50 µs', 'p90 µs'], [...variants.map(([name, v]) => [name, at(v, 'p50'), at(v, 'p90')]), ['RunTree, first scan of a run', at(tree, 'runTreeFirstScanUs', 'p50'), at(tree, 'runTreeFirstScanUs', 'p90')]]),
    '',
    `**/healthz under a connection flood**: sequential probes on fresh connections, ${fmt(at(flood, 'probeTimeoutMs'))} ms client timeout; flood / no flood p50 ×${fmt(at(flood, 'ratioFloodToQuiet', 'p50'))}, p99 ×${fmt(at(flood, 'ratioFloodToQuiet', 'p99'))}; of the flood, ${fmt(at(flood, 'floodHeldMedian', 'atFirstProbe'))} still open at the first probe and ${fmt(at(flood, 'floodHeldMedian', 'atLastProbe'))} at the last (medians).`,
    '',
    table(['condition', 'ok', 'p50 ms', 'p99 ms', 'max ms'], [probes('quiet', 'no flood'), probes('flood', `${fmt(at(flood, 'floodConnections'))} idle connections held`)]),
  ].join('\n');
}

/** Grouped bars on a log scale: detection latency p50 and p99 per leak rate, one colour per supervisor. */
export function latencyChart(peers: Json | undefined, detection: Json | undefined): string | undefined {
  const series: { name: string; rates: Json }[] = [];
  const variants = peers && isObject(peers.variants) ? peers.variants : {};
  for (const [name, rates] of Object.entries(variants)) if (isObject(rates)) series.push({ name, rates });
  if (series.length === 0 && detection) series.push({ name: 'ours', rates: detection });
  if (series.length === 0) return undefined;
  const rates = [...new Set(series.flatMap((s) => Object.keys(s.rates)))];
  const colours = ['#c0392b', '#e67e22', '#2471a3', '#27ae60', '#8e44ad'];
  const W = 760, H = 380, left = 70, bottom = 60, top = 40;
  const plotH = H - top - bottom;
  const values = series.flatMap((s) => rates.flatMap((r) => (isObject(s.rates[r]) ? [num((s.rates[r] as Json).latencyMsP50), num((s.rates[r] as Json).latencyMsP99)] : []))).filter((v) => v > 0);
  const lo = Math.pow(10, Math.floor(Math.log10(Math.min(...values, 10))));
  const hi = Math.pow(10, Math.ceil(Math.log10(Math.max(...values, 100))));
  const y = (v: number) => top + plotH - ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * plotH;
  const groupW = (W - left - 20) / rates.length;
  const barW = Math.min(40, (groupW - 20) / series.length);
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`, `<rect width="${W}" height="${H}" fill="white"/>`, `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">Detection latency, limit crossed → leaking pid gone (log scale; bar = p50, tick = p99)</text>`];
  for (let v = lo; v <= hi; v *= 10) {
    out.push(`<line x1="${left}" x2="${W - 20}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`, `<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${v >= 1000 ? `${v / 1000} s` : `${v} ms`}</text>`);
  }
  rates.forEach((rate, g) => {
    const x0 = left + g * groupW + (groupW - barW * series.length) / 2;
    series.forEach((s, i) => {
      const f = isObject(s.rates[rate]) ? (s.rates[rate] as Json) : undefined;
      if (!f) return;
      const p50 = num(f.latencyMsP50), p99 = num(f.latencyMsP99);
      const x = x0 + i * barW;
      if (p50 > 0) out.push(`<rect x="${x + 2}" y="${y(p50)}" width="${barW - 4}" height="${top + plotH - y(p50)}" fill="${colours[i % colours.length]}"><title>${s.name} ${rate}: p50 ${p50} ms</title></rect>`);
      if (p99 > 0) out.push(`<line x1="${x + 2}" x2="${x + barW - 2}" y1="${y(p99)}" y2="${y(p99)}" stroke="black" stroke-width="2"><title>${s.name} ${rate}: p99 ${p99} ms</title></line>`);
      if (p50 > 0) out.push(`<text x="${x + barW / 2}" y="${y(p50) - 4}" text-anchor="middle" font-size="10">${p50 >= 1000 ? `${Math.round(p50 / 100) / 10}s` : Math.round(p50)}</text>`);
    });
    out.push(`<text x="${left + g * groupW + groupW / 2}" y="${H - bottom + 18}" text-anchor="middle">${rate.replace('MBps', ' MB/s')}</text>`);
  });
  series.forEach((s, i) => out.push(`<rect x="${left + i * 150}" y="${H - 24}" width="12" height="12" fill="${colours[i % colours.length]}"/>`, `<text x="${left + i * 150 + 18}" y="${H - 14}">${s.name}</text>`));
  out.push('</svg>');
  return out.join('\n');
}

/** Issue 12: CPU on a quiet and a loaded host, per-sample cost, idle RSS beside PM2's, and module shares. */
function hostLoadTables(figures: Json): string {
  const quiet = isObject(figures.quiet) ? figures.quiet : {};
  const loaded = isObject(figures.loaded) ? figures.loaded : {};
  const cost = (h: Json, key: string) => (isObject(h.sampleCostUs) ? h.sampleCostUs[key] : undefined);
  const row = (name: string, h: Json) => [name, h.hostProcesses, h.cpuPercentMedian, fmt(h.cpuPercentRuns), h.rssMbWatching, cost(h, 'walkP50'), cost(h, 'fullScanP50')];
  const idle = isObject(figures.idleRss) ? figures.idleRss : {};
  const shares = isObject(figures.moduleSharesMb) ? figures.moduleSharesMb : {};
  const cpuMet = figures.cpuTargetsMet === true ? 'met' : '**missed**';
  return [
    `**Supervisor CPU watching one idle runner** (adaptive sampling from a 100 ms base, ${fmt(figures.windowMs)} ms windows; a full /proc listing about once a second, a walk down the tree otherwise). Loaded / quiet ×${fmt(figures.cpuRatioLoadedToQuiet)}; target < 2 % and ≤ ×1.5: ${cpuMet}.`,
    '',
    table(['host', 'processes on the host', 'CPU % of a core (median)', 'runs', 'RSS while watching MB', 'one sample (walk) p50 µs', 'full listing p50 µs'], [row('quiet', quiet), [`+${fmt(loaded.extraProcesses)} idle processes`, ...row('', loaded).slice(1)]]),
    '',
    `**Idle RSS, side by side in the same run** (no run yet; medians of ${Array.isArray(idle.oursRuns) ? idle.oursRuns.length : 'n/a'}): ours ${fmt(idle.oursMb)} MB ${fmt(idle.oursRuns)}, PM2 ${fmt(idle.pm2Version)} God daemon ${fmt(idle.pm2Mb)} MB ${fmt(idle.pm2Runs)}; ours / PM2 ×${fmt(idle.ratioOursToPm2)}; target ≤ 55 MB: ${figures.idleRssTargetMet === true ? 'met' : '**missed**'}.`,
    '',
    '**Module shares**: RSS each adds to a bare node when imported alone (shares overlap: node builtins and the parts of the node binary they touch are counted in each).',
    '',
    table(['module', 'MB'], Object.entries(shares)),
  ].join('\n');
}

/** Issue 11: the kill's webhook POST timed from the crossing, and detection with a sink that never answers beside none. */
function alertsTables(f: Json): string {
  const k = isObject(f.killToPost) ? f.killToPost : {};
  const spreadRow = (label: string, key: string) => [label, at(k, key, 'p50'), at(k, key, 'p95'), at(k, key, 'max')];
  const missing = Array.isArray(k.missingFields) && k.missingFields.length > 0 ? ` (missing or wrong: ${k.missingFields.join(', ')})` : '';
  const met = (s: unknown) => num(at(s, 'latencyMsP99')) <= 250 && num(at(s, 'overshootMbMax')) <= num(at(s, 'overshootTargetMb'));
  const rows: unknown[][] = [];
  for (const [rate, v] of Object.entries(isObject(f.hangingSink) ? f.hangingSink : {})) {
    for (const [label, key] of [['no sink', 'noSink'], ['sink never answers', 'hangingSink']] as const) {
      const s = at(v, key);
      rows.push([rate, label, at(s, 'runs'), at(s, 'latencyMsP50'), at(s, 'latencyMsP99'), at(s, 'overshootMbP50'), at(s, 'overshootMbMax'), met(s) ? 'met' : '**missed**']);
    }
    rows.push([rate, '**ratio never answers / none**', '', `×${fmt(at(v, 'ratioHangingToNone', 'latencyP50'))}`, `×${fmt(at(v, 'ratioHangingToNone', 'latencyP99'))}`, `×${fmt(at(v, 'ratioHangingToNone', 'overshootP50'))}`, '', `held a request at the crossing ${fmt(at(v, 'sinkHeldARequestAtCrossing'))}/${fmt(at(v, 'pairs'))}`]);
  }
  return [
    `Shared machine: ${fmt(at(f, 'host', 'cores'))} cores, 1-minute load average ${fmt(at(f, 'host', 'loadAverage1mStart'))} at the start and ${fmt(at(f, 'host', 'loadAverage1mEnd'))} at the end; read the medians and ratios, not single runs.`,
    '',
    `**Memory kill → webhook POST** (${fmt(k.runs)} runs, leak ${fmt(k.rateMbPerSec)} MB/s vs ${fmt(k.limitMb)} MB, a real receiver on 127.0.0.1): received ${fmt(k.received)}/${fmt(k.runs)}; bodies with every field ${fmt(k.bodiesWithAllFields)}/${fmt(k.runs)}${missing}; p95 ≤ ${fmt(k.targetMs)} ms: ${k.met === true ? 'met' : '**missed**'}.`,
    '',
    table(['from', 'p50 ms', 'p95 ms', 'max ms'], [spreadRow('over the limit (bench sampler) → POST read', 'crossingToPostMs'), spreadRow('leaking pid gone → POST read', 'goneToPostMs'), spreadRow('alert raised (its raisedAtMs) → POST read', 'raisedToPostMs')]),
    '',
    '**Detection with a sink that never answers**, interleaved with runs without a sink (latency: over the limit → leaking pid gone, as in the detection suite; targets: p99 ≤ 250 ms, overshoot ≤ 0.3 s of leak):',
    '',
    table(['leak rate', 'sink', 'runs', 'latency p50 ms', 'latency p99 ms', 'overshoot p50 MB', 'overshoot max MB', 'targets'], rows),
  ].join('\n');
}

/** Writes bench/REPORT.md (and bench/report-chart.svg when there is latency data); returns the report's path. */
export async function writeReport(dir = RESULTS): Promise<string> {
  const suites = loadResults(dir);
  const newest = [...suites.values()].sort((a, b) => (a.at < b.at ? 1 : -1))[0];
  const machine = newest?.machine ?? {};
  const parts: string[] = [
    '# Benchmark report',
    '',
    `Generated by \`bench/report.ts\` from \`bench/results/*.json\` (the newest result of each suite). Re-run a suite with \`npm run bench -- <suite>\`, then regenerate.`,
    '',
    '## Machine',
    '',
    table(['cpu', 'cores', 'memory GB', 'node'], [[machine.cpu, machine.cores, machine.memoryGb, machine.node]]),
    '',
  ];
  const chart = latencyChart(isObject(suites.get('peers')?.figures) ? (suites.get('peers')?.figures as Json) : undefined, isObject(suites.get('detection')?.figures) ? (suites.get('detection')?.figures as Json) : undefined);
  if (chart) {
    await writeFile(CHART, chart);
    parts.push('![detection latency per leak rate](report-chart.svg)', '');
  }
  const order = ['detection', 'growth', 'soak', 'peers', ...[...suites.keys()].filter((k) => !['detection', 'growth', 'soak', 'peers'].includes(k)).sort()];
  for (const name of order) {
    const suite = suites.get(name);
    if (!suite) continue;
    // The header shows the newest suite's machine; a suite measured elsewhere says where, not to be compared blindly.
    const elsewhere = suite.machine && suite.machine.cpu !== machine.cpu ? `, on ${fmt(suite.machine.cpu)}` : '';
    parts.push(`## ${name}`, '', `_${suite.at}, from \`bench/results/${suite.file}\`${elsewhere}_`, '');
    const f = suite.figures;
    if (name === 'detection' && isObject(f)) parts.push(detectionTable(f));
    else if (name === 'soak' && isObject(f)) parts.push(soakTable(f));
    else if (name === 'peers' && isObject(f)) parts.push(peersTables(f));
    else if (name === 'hardening' && isObject(f)) parts.push(hardeningTables(f));
    else if (name === 'host-load' && isObject(f)) parts.push(hostLoadTables(f));
    else if (name === 'alerts' && isObject(f)) parts.push(alertsTables(f));
    else if (name === 'before-after' && isObject(f)) parts.push(beforeAfterTables(f));
    else parts.push(genericTable(f));
    parts.push('');
  }
  if (suites.size === 0) parts.push('No results yet: run `npm run bench`.', '');
  await writeFile(REPORT, parts.join('\n'));
  return REPORT;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`report written to ${await writeReport()}`);
}
