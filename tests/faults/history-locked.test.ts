// Fault: another process holds history.db's write lock (BEGIN IMMEDIATE) for 25 s while a sync is due. The sync must
// run and fill the worklist during the lock, its memory-warn alert must be kept, and once the lock goes the run row,
// the alert and a history-gap record land; the supervisor stays small, keeps running, and SIGTERM exits 0.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { test, type TestContext } from 'node:test';
import { Database } from '../../shared/sqlite.ts';
import { fixture, readHistory } from '../helpers/harness.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { peakRssOf } from './proc-rss.ts';
import { fill, mountedDir } from './tmpfs.ts';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { programArgs } from '../helpers/entry-point.ts';

const DEMO = fileURLToPath(new URL('../../examples/demo/', import.meta.url));

/** A process whose console is read line by line; `waitFor` resolves with the first line matching. */
function lineProcess(args: string[], cwd: string, stream: 'stdout' | 'stderr') {
  const child = spawn(process.execPath, args, { cwd, env: { PATH: process.env.PATH, HOME: cwd }, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  createInterface({ input: child[stream] }).on('line', (line) => {
    lines.push(line);
    for (const w of [...waiters]) if (w.pattern.test(line)) waiters.splice(waiters.indexOf(w), 1) && w.resolve(line);
  });
  child[stream === 'stdout' ? 'stderr' : 'stdout'].resume();
  const exited = once(child, 'close').then(([code]) => code as number | null);
  const waitFor = (pattern: RegExp): Promise<string> => {
    const seen = lines.find((l) => pattern.test(l));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      waiters.push({ pattern, resolve });
      void exited.then(() => setImmediate(() => reject(new Error(`exited before printing ${pattern}:\n${lines.slice(-30).join('\n')}`))));
    });
  };
  return { child, lines, waitFor, exited };
}

test('history.db write-locked for 25 s: the sync fills the worklist meanwhile, the run and its alerts land after, with the gap', { timeout: 120_000 }, async (t: TestContext) => {
  const dir = await tempDir('sync-supervisor-locked-');
  const worklist = join(dir, 'worklist.db');
  const pylantir = JSON.parse(await readFile(join(DEMO, 'pylantir-config.json'), 'utf8')) as { db_path: string; data_sources: Array<{ config: { path: string } }> };
  pylantir.db_path = worklist;
  for (const source of pylantir.data_sources) source.config.path = join(DEMO, source.config.path);
  await writeFile(join(dir, 'pylantir.json'), JSON.stringify(pylantir));
  // warnMb low enough that every run raises memory-warn: an alert raised while the lock is held.
  await writeFile(join(dir, 'config.json'), JSON.stringify({
    sync: { pylantirConfig: 'pylantir.json' }, dataDir: 'data', runOnStart: false, schedule: { everyMs: 2000 },
    memory: { warnMb: 5, emergencyMb: 2000 },
  }));
  const sup = lineProcess(programArgs('supervisor', ['supervise', '--config', 'config.json']), dir, 'stderr');
  t.after(() => sup.child.kill('SIGKILL'));
  const rss = peakRssOf(sup.child.pid as number);
  t.after(() => rss.stop());
  await sup.waitFor(/supervisor started/);

  const holder = lineProcess([fixture('fault-lock-holder.mjs'), join(dir, 'data', 'history.db'), '25000', 'bare'], dir, 'stdout');
  t.after(() => holder.child.kill('SIGKILL'));
  await holder.waitFor(/^LOCKED/);
  const lockedAt = Date.now();
  const summary = await sup.waitFor(/run \d+ \(attempt 1\) ok in/);
  const runId = Number(/run (\d+)/.exec(summary)?.[1]);
  assert.ok(Date.now() - lockedAt < 25_000, 'the run ended while the lock was still held');
  const wl = await Database.open(worklist, { readonly: true });
  const rows = await wl.get<{ n: number }>('SELECT COUNT(*) AS n FROM worklist_items');
  await wl.close();
  assert.ok((rows?.n ?? 0) > 0, 'the worklist got its rows during the lock');
  assert.ok(sup.lines.some((l) => /history\.db cannot be written \(.*SQLITE_BUSY/.test(l)), sup.lines.join('\n'));
  // A tick skipped for overlap is fine here (a loaded machine makes the run outlast the 2 s schedule); what the lock
  // must never do is fail a tick, and the run ending inside the lock (above) shows it did not hold the run.
  assert.ok(!sup.lines.some((l) => /tick failed/.test(l)), sup.lines.join('\n'));

  assert.equal(await holder.exited, 0);
  const gap = await sup.waitFor(/history\.db writes failed for [\d.]+ s from .* \(.*SQLITE_BUSY.*\); \d+ writes waited in memory/);
  assert.match(gap, /dropped: no writes/);
  sup.child.kill('SIGTERM');
  assert.equal(await sup.exited, 0, sup.lines.slice(-20).join('\n'));
  rss.stop();

  const { runs, alerts } = await readHistory(join(dir, 'data'));
  const run = runs.find((r) => r.id === runId);
  assert.equal(run?.status, 'ok', JSON.stringify(runs));
  assert.ok(alerts.some((a) => a.kind === 'memory-warn' && a.run_id === runId), 'the memory-warn raised during the lock was kept and written');
  assert.equal(alerts.filter((a) => a.kind === 'history-gap').length, 1);
  assert.equal(new Set(runs.map((r) => r.id)).size, runs.length, 'run ids stay unique');
  t.diagnostic(`supervisor peak RSS ${rss.peakMb()} MB (from /proc)`);
  assert.ok(rss.peakMb() > 0 && rss.peakMb() < 150, `supervisor peak RSS ${rss.peakMb()} MB`);
});

test('history.db on a full disk: the sync still updates the worklist (on another disk), and the gap is recorded once space returns', { timeout: 120_000 }, async (t: TestContext) => {
  // Not tempDir(): its cleanup would run before the unmount registered after it, on a busy mount point.
  const dir = await mkdtemp(join(tmpdir(), 'sync-supervisor-histfull-'));
  const dataDir = join(dir, 'data');
  await mkdir(dataDir);
  const mount = await mountedDir(t, 'size=4m', dataDir);
  t.after(() => rm(dir, { recursive: true, force: true }));
  if ('why' in mount) return t.skip(mount.why);
  const worklist = join(dir, 'worklist.db');
  const pylantir = JSON.parse(await readFile(join(DEMO, 'pylantir-config.json'), 'utf8')) as { db_path: string; data_sources: Array<{ config: { path: string } }> };
  pylantir.db_path = worklist;
  for (const source of pylantir.data_sources) source.config.path = join(DEMO, source.config.path);
  await writeFile(join(dir, 'pylantir.json'), JSON.stringify(pylantir));
  await writeFile(join(dir, 'config.json'), JSON.stringify({ sync: { pylantirConfig: 'pylantir.json' }, dataDir: 'data', runOnStart: false, schedule: { everyMs: 2000 } }));
  const sup = lineProcess(programArgs('supervisor', ['supervise', '--config', 'config.json']), dir, 'stderr');
  t.after(() => sup.child.kill('SIGKILL'));
  const rss = peakRssOf(sup.child.pid as number);
  t.after(() => rss.stop());
  await sup.waitFor(/supervisor started/);
  const filler = await fill(dataDir, 0);

  await sup.waitFor(/history\.db cannot be written \(.*(SQLITE_FULL|full)/);
  await sup.waitFor(/run \d+ \(attempt 1\) ok in/);
  const wl = await Database.open(worklist, { readonly: true });
  const rows = await wl.get<{ n: number }>('SELECT COUNT(*) AS n FROM worklist_items');
  await wl.close();
  assert.ok((rows?.n ?? 0) > 0, 'the worklist was synced while history.db was full');
  assert.ok(!sup.lines.some((l) => /tick failed/.test(l)), sup.lines.join('\n'));

  await rm(filler);
  await sup.waitFor(/history\.db writes failed for [\d.]+ s from .*; \d+ writes waited in memory/);
  sup.child.kill('SIGTERM');
  assert.equal(await sup.exited, 0, sup.lines.slice(-20).join('\n'));
  rss.stop();
  const { runs, alerts } = await readHistory(dataDir);
  assert.ok(runs.some((r) => r.status === 'ok'), JSON.stringify(runs));
  assert.equal(alerts.filter((a) => a.kind === 'history-gap').length, 1);
  t.diagnostic(`supervisor peak RSS ${rss.peakMb()} MB (from /proc)`);
  assert.ok(rss.peakMb() > 0 && rss.peakMb() < 150, `supervisor peak RSS ${rss.peakMb()} MB`);
});
