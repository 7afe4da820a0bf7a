// `--out` through the real bin: never onto the database it reads (or its -wal), never through a symlink, 0600.
import assert from 'node:assert/strict';
import { lstatSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createHistoryFixture, type HistoryFixture } from '../../helpers/history-db.ts';
import { runBin } from '../../helpers/spawn-bin.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

let fx: HistoryFixture;
const dir = await tempDir('out-safety-');
before(async () => {
  fx = await createHistoryFixture();
  await fx.insertRun({ startedAtMs: Date.parse('2026-01-30T10:00:00Z'), peakMb: 120 });
});
after(() => fx.cleanup());

async function history(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = runBin(['history', ...args], { cwd: dir });
  const { code } = await run.exit;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

const exportTo = (out: string, db = fx.path): string[] => ['export', '--table', 'runs', '--format', 'csv', '--out', out, '--db', db];

test('--out onto --db (by the same path or another name for it) is refused and the database keeps every byte', async () => {
  const before = readFileSync(fx.path);
  const same = await history(exportTo(fx.path));
  assert.equal(same.code, 24, same.stderr);
  assert.match(same.stderr, /refusing --out .*history\.db: it is the history database being read/);
  assert.match(same.stderr, /→ Write the export or plot to another file/);
  assert.deepEqual(readFileSync(fx.path), before);
  const plot = await history(['plot', '--out', join(fx.dir, '.', 'history.db.svg'), '--db', fx.path]);
  assert.equal(plot.code, 0, plot.stderr);
  assert.deepEqual(readFileSync(fx.path), before, 'a different file is fine');
  assert.equal(readdirSync(dir).filter((f) => f.endsWith('.tmp')).length, 0);
});

test('--out onto any SQLite database (the live history.db while a copy is read) is refused', async () => {
  const copy = join(dir, 'copy.db');
  await fx.db.exec(`VACUUM INTO '${copy}'`);
  const before = readFileSync(fx.path);
  const result = await history(exportTo(fx.path, copy));
  assert.equal(result.code, 24, result.stderr);
  assert.match(result.stderr, /it is an SQLite database/);
  assert.deepEqual(readFileSync(fx.path), before);
});

test('--out onto the -wal of the database read is refused', async () => {
  const wal = `${fx.path}-wal`;
  const existed = (() => { try { return statSync(wal).isFile(); } catch { return false; } })();
  if (!existed) writeFileSync(wal, '');
  const result = await history(exportTo(wal));
  assert.equal(result.code, 24, result.stderr);
  assert.match(result.stderr, /history database being read \(.*history\.db-wal\)/);
});

test('a symlink at --out is never followed, for export and plot', async () => {
  const victim = join(dir, 'victim.txt');
  writeFileSync(victim, 'keep me\n');
  const link = join(dir, 'runs.csv');
  symlinkSync(victim, link);
  for (const args of [exportTo(link), ['plot', '--out', join(dir, 'plot.svg'), '--db', fx.path]]) {
    if (args[0] === 'plot') symlinkSync(victim, join(dir, 'plot.svg'));
    const result = await history(args);
    assert.equal(result.code, 24, result.stderr);
    assert.match(result.stderr, /is a symbolic link, which is never followed/);
  }
  assert.equal(readFileSync(victim, 'utf8'), 'keep me\n');
  assert.ok(lstatSync(link).isSymbolicLink());
});

test('export and plot files are created 0600 whatever the umask, replacing an earlier export', async () => {
  const csv = join(dir, 'fresh.csv');
  writeFileSync(csv, 'old\n', { mode: 0o644 });
  const exported = await history(exportTo(csv));
  assert.equal(exported.code, 0, exported.stderr);
  assert.match(readFileSync(csv, 'utf8'), /^id,/);
  assert.equal(statSync(csv).mode & 0o777, 0o600);
  const svg = join(dir, 'fresh.svg');
  const plotted = await history(['plot', '--out', svg, '--db', fx.path]);
  assert.equal(plotted.code, 0, plotted.stderr);
  assert.equal(statSync(svg).mode & 0o777, 0o600);
});
