// Fault: the log disk fills (a real tmpfs mounted on dataDir/logs) while the supervisor runs a chatty runner.
// The console must keep printing, say "log file disabled" once, drop rather than buffer, keep the supervisor small,
// go on running; once space returns the file gets lines again with the drop count, and SIGTERM still exits 0.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test, type TestContext } from 'node:test';
import { fixture } from '../helpers/harness.ts';
import { peakRssOf } from './proc-rss.ts';
import { fill, mountedDir } from './tmpfs.ts';
import { programArgs } from '../helpers/entry-point.ts';

/**
 * The built bin, its console read line by line: the runner's flood lines are only counted (megabytes of them), the
 * others kept for the assertions and the waits. Always built, whatever SYNC_TESTS_FROM_SOURCE says: the bounded-RSS
 * check measures the supervisor as a site runs it, without a tsx loader.
 */
function superviseBuilt(config: string, cwd: string) {
  const child = spawn(process.execPath, programArgs('supervisor', ['supervise', '--config', config], true), { cwd, env: { PATH: process.env.PATH, HOME: cwd }, stdio: ['ignore', 'ignore', 'pipe'] });
  const lines: string[] = [];
  let floodLines = 0;
  const waiters: Array<{ pattern: RegExp; resolve: (m: RegExpExecArray) => void }> = [];
  const conditions: Array<{ holds: () => boolean; resolve: () => void }> = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    if (line.includes('flood line')) return void (floodLines += 1);
    lines.push(line);
    for (const w of [...waiters]) {
      const match = w.pattern.exec(line);
      if (match) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(match);
      }
    }
    for (const c of [...conditions]) {
      if (c.holds()) {
        conditions.splice(conditions.indexOf(c), 1);
        c.resolve();
      }
    }
  });
  const exited = once(child, 'close').then(([code]) => code as number | null);
  const waitFor = (pattern: RegExp): Promise<RegExpExecArray> => {
    for (const line of lines) {
      const match = pattern.exec(line);
      if (match) return Promise.resolve(match);
    }
    return new Promise((resolve, reject) => {
      waiters.push({ pattern, resolve });
      void exited.then(() => setImmediate(() => reject(new Error(`supervisor exited before printing ${pattern}:\n${lines.slice(-30).join('\n')}`))));
    });
  };
  /** Resolves once `holds()` is true after some console line. */
  const waitUntil = (holds: () => boolean): Promise<void> => (holds() ? Promise.resolve() : new Promise((resolve) => conditions.push({ holds, resolve })));
  return { child, lines, floodLines: () => floodLines, waitFor, waitUntil, exited };
}

/** Ids of the runs started so far (skipped ticks take ids too, so they are not consecutive). */
const startedIds = (lines: readonly string[]): number[] => lines.flatMap((l) => /run (\d+) started/.exec(l)?.[1] ?? []).map(Number);

test('a full log disk: console goes on, one "disabled" line, bounded RSS, runs go on, the file recovers, SIGTERM exits 0', { timeout: 120_000 }, async (t: TestContext) => {
  // Not tempDir(): its cleanup would run before the unmount registered after it, on a busy mount point.
  const dir = await mkdtemp(join(tmpdir(), 'sync-supervisor-logfull-'));
  const dataDir = join(dir, 'data');
  const logs = join(dataDir, 'logs');
  await mkdir(logs, { recursive: true });
  const mount = await mountedDir(t, 'size=8m', logs);
  t.after(() => rm(dir, { recursive: true, force: true }));
  if ('why' in mount) return t.skip(mount.why);
  const config = join(dir, 'config.json');
  await writeFile(config, JSON.stringify({
    runner: { command: process.execPath, args: [fixture('log-flood.mjs'), '1500'] },
    schedule: { everyMs: 300 },
    dataDir,
  }));
  const sup = superviseBuilt(config, dir);
  t.after(() => sup.child.kill('SIGKILL'));
  const rss = peakRssOf(sup.child.pid as number);
  t.after(() => rss.stop());
  await sup.waitFor(/run 1 started/);

  const filler = await fill(logs, 0);
  await sup.waitFor(/log file disabled: cannot write \S+supervisor\.jsonl \(ENOSPC/);
  const startedWhenFull = startedIds(sup.lines).length;
  const floodWhenFull = sup.floodLines();
  // Runs go on and the console keeps printing them, each with its 1,500 lines the file cannot take.
  await sup.waitUntil(() => startedIds(sup.lines).length >= startedWhenFull + 5);
  assert.ok(sup.floodLines() - floodWhenFull >= 4 * 1500, 'the console kept printing every runner line');
  const lastWhileFull = startedIds(sup.lines).at(-1);
  assert.doesNotMatch(await readFile(join(logs, 'supervisor.jsonl'), 'utf8'), new RegExp(`run ${lastWhileFull} started`), 'the file really was full');

  await rm(filler);
  const recovered = await sup.waitFor(/log file writable again: \S+supervisor\.jsonl \(it failed with ENOSPC\), (\d+) lines dropped/);
  assert.ok(Number(recovered[1]) > 0, 'lines past the cap were dropped, and counted');
  const startedBefore = startedIds(sup.lines).length;
  await sup.waitUntil(() => startedIds(sup.lines).length >= startedBefore + 2);
  const laterRun = startedIds(sup.lines).at(-1);
  sup.child.kill('SIGTERM');
  const code = await sup.exited;
  rss.stop();

  assert.equal(code, 0, sup.lines.slice(-30).join('\n'));
  assert.equal(sup.lines.filter((l) => /log file disabled/.test(l)).length, 1, 'the failure is said once');
  const file = await readFile(join(logs, 'supervisor.jsonl'), 'utf8');
  assert.match(file, /log file writable again/);
  assert.match(file, new RegExp(`run ${laterRun} started`), 'lines logged after recovery reach the file');
  t.diagnostic(`supervisor peak RSS ${rss.peakMb()} MB (from /proc)`);
  assert.ok(rss.peakMb() > 0 && rss.peakMb() < 150, `supervisor peak RSS ${rss.peakMb()} MB`);
});
