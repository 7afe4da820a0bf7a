// HistoryStore over real history.db files in a temp dir: following its path when the file is deleted or replaced,
// and sample writes that fail without poisoning the ones after.
import assert from 'node:assert/strict';
import { mkdir, rename, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { closeLogger } from '../../../shared/logger.ts';
import { Database } from '../../../shared/sqlite.ts';
import { alertingHistory } from '../../../supervisor/alerts/alerting-history.ts';
import { openHistoryForWrite } from '../../../supervisor/history/open-history.ts';
import { HistoryStore } from '../../../supervisor/history/store.ts';
import type { RunLimits } from '../../../supervisor/vocabulary/run-limits.ts';
import { capturedLogger } from '../../helpers/harness.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const LIMITS: RunLimits = { warnMb: 400, emergencyMb: 500, hardLimitMb: 750, graceMs: 3000, sustainMs: 0, timeoutMs: 600_000 };
const run = (startedAtMs: number) => ({ tickAtMs: startedAtMs, attempt: 1, command: 'node runner.mjs', startedAtMs });
const finished = (endedAtMs: number) => ({
  status: 'ok' as const, reason: null, exitCode: 0, signal: null, forceKilled: false, stragglersKilled: 0, peakRssBytes: 1, peakPidCount: 1,
  sampleCount: 1, warnedAtMs: null, emergencyAtMs: null, terminatedAtMs: null, error: null, endedAtMs, resultJson: null,
});

async function read<T>(path: string, sql: string): Promise<T[]> {
  const db = await Database.open(path, { readonly: true });
  try {
    return await db.all<T>(sql);
  } finally {
    await db.close();
  }
}

async function openStore(path: string) {
  const { logger, lines } = capturedLogger();
  // A flush period no test waits for: every check here is triggered by a write, so nothing depends on a timer. Wired
  // as the supervisor wires it: the store's incidents (reopened, gap) are raised through the Alerts over it.
  const { store } = alertingHistory(await openHistoryForWrite(path), { logger, reopenWith: openHistoryForWrite, flushEveryMs: 3_600_000 }, { logger });
  return { store, lines, close: async () => { await store.close(); await closeLogger(logger); } };
}

/** Polls a condition the store reaches on its own timers (its 1 s file check and write retry). */
async function waitUntil(holds: () => boolean): Promise<void> {
  while (!holds()) await new Promise((resolve) => setTimeout(resolve, 20));
}

test('writes racing the reopen of a deleted file all land in the new file, and the reopen happens once', async () => {
  const path = join(await tempDir(), 'history.db');
  const { store, lines, close } = await openStore(path);
  const runId = await store.startRun(run(1000), LIMITS);
  await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(`${path}${suffix}`)));
  store.addSample('runner', { atMs: 1100, runId, rssBytes: 5, pidCount: 1 });
  await Promise.all([
    store.addAlert({ atMs: 1200, level: 'warning', kind: 'a', message: 'first' }),
    store.flush(),
    store.recordPid(runId, 4242, 77),
    store.addAlert({ atMs: 1300, level: 'warning', kind: 'b', message: 'second' }),
  ]);
  await store.finishRun(runId, finished(1400));
  assert.equal(await store.startRun(run(2000), LIMITS), runId + 1, 'ids carry on from the lost file');
  await close();
  const runs = await read<{ id: number; status: string; pid: number; pid_start_ticks: number; warn_mb: number }>(path, 'SELECT * FROM runs ORDER BY id');
  assert.deepEqual(runs.map((r) => [r.id, r.status, r.pid, r.pid_start_ticks, r.warn_mb]), [[runId, 'ok', 4242, 77, 400], [runId + 1, 'running', null, null, 400]]);
  const alerts = await read<{ kind: string }>(path, 'SELECT kind FROM alerts ORDER BY id');
  assert.deepEqual(alerts.map((a) => a.kind).sort(), ['a', 'b', 'history-reopened']);
  assert.deepEqual(await read(path, 'SELECT run_id, rss_bytes FROM memory_history'), [{ run_id: runId, rss_bytes: 5 }]);
  assert.equal(lines.filter((l) => /reopened a new one at/.test(l)).length, 1, lines.join('\n'));
});

test('history.db deleted with its -wal and -shm left behind: the new file starts clean, not from the old WAL', async () => {
  const path = join(await tempDir(), 'history.db');
  const { store, close } = await openStore(path);
  await store.finishRun(await store.startRun(run(1000), LIMITS), finished(1100));
  const open = await store.startRun(run(2000), LIMITS);
  await store.writesSettled();
  await rm(path);
  await store.addAlert({ atMs: 2100, level: 'info', kind: 'after-delete', message: 'x' });
  await store.finishRun(open, finished(2200));
  await close();
  assert.deepEqual(await read(path, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
  assert.deepEqual(await read(path, 'SELECT id, status FROM runs'), [{ id: open, status: 'ok' }]);
  assert.deepEqual((await read<{ kind: string }>(path, 'SELECT kind FROM alerts ORDER BY id')).map((a) => a.kind), ['history-reopened', 'after-delete']);
});

test('a replacement file whose run ids collide: the open run is not written over the other run, and its end leaves it alone', async () => {
  const dir = await tempDir();
  const path = join(dir, 'history.db');
  const other = join(dir, 'restored.db');
  const seed = new HistoryStore(await openHistoryForWrite(other));
  await seed.finishRun(await seed.startRun(run(10), LIMITS), finished(20));
  await seed.finishRun(await seed.startRun(run(30), LIMITS), finished(40));
  await seed.close();

  const { store, lines, close } = await openStore(path);
  const runId = await store.startRun(run(1000), LIMITS);
  assert.equal(runId, 1);
  await rename(other, path);
  await store.addAlert({ atMs: 1100, level: 'info', kind: 'after-swap', message: 'written to the restored file' });
  await store.finishRun(runId, { ...finished(1200), status: 'failed', exitCode: 3 });
  assert.equal(await store.startRun(run(2000), LIMITS), 3, 'a new id above both files');
  await close();

  const runs = await read<{ id: number; status: string; started_at_ms: number }>(path, 'SELECT id, status, started_at_ms FROM runs ORDER BY id');
  assert.deepEqual(runs.map((r) => [r.id, r.status, r.started_at_ms]), [[1, 'ok', 10], [2, 'ok', 30], [3, 'running', 2000]]);
  const alerts = await read<{ kind: string; message: string }>(path, 'SELECT kind, message FROM alerts ORDER BY id');
  assert.deepEqual(alerts.map((a) => a.kind), ['history-reopened', 'after-swap']);
  assert.match(alerts[0]?.message ?? '', /another file took its place; .*run 1 still going is not \(its id is taken in this file\)/);
  assert.ok(lines.some((l) => /warn .*reopened a new one at/.test(l)), lines.join('\n'));
});

test('a new file that cannot be opened: writes wait in memory (logged once) until a later check opens one, then land with the gap', async () => {
  const path = join(await tempDir(), 'history.db');
  const { store, lines, close } = await openStore(path);
  const runId = await store.startRun(run(1000), LIMITS);
  await store.writesSettled();
  await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(`${path}${suffix}`)));
  await mkdir(path); // a directory where the file was: SQLite cannot create history.db there
  const alert = (kind: string) => store.addAlert({ atMs: 1100, level: 'info', kind, message: kind });
  const held = [alert('held-1'), alert('held-2')];
  await waitUntil(() => lines.some((l) => /history\.db cannot be written \(.*\); the sync and the memory watch go on/.test(l)));
  assert.equal(store.pendingWrites, 2);
  assert.equal(lines.filter((l) => /cannot check or reopen history\.db/.test(l)).length, 1, lines.join('\n'));
  await rmdir(path);
  // The store's timers are unref'd (they never keep a process alive): this poll keeps the test's loop going meanwhile.
  await waitUntil(() => store.pendingWrites === 0);
  assert.ok((await Promise.all(held)).every((id) => typeof id === 'number'), 'the held alerts are written once the file opens');
  await store.finishRun(runId, finished(1200));
  await close();
  assert.deepEqual(await read(path, 'SELECT id, status FROM runs'), [{ id: runId, status: 'ok' }]);
  assert.deepEqual((await read<{ kind: string }>(path, 'SELECT kind FROM alerts ORDER BY id')).map((a) => a.kind), ['history-reopened', 'held-1', 'held-2', 'history-gap']);
  assert.ok(lines.some((l) => /history\.db at .* is writable again/.test(l)), lines.join('\n'));
});

test('a failed sample write is logged once per outage, counted, and never fails a later flush', async () => {
  const path = join(await tempDir(), 'history.db');
  const { store, lines, close } = await openStore(path);
  const sample = (atMs: number) => store.addSample('supervisor', { atMs, runId: null, rssBytes: atMs, pidCount: 1 });
  // A real failure: the table is moved aside, so the INSERT finds no memory_history.
  await store.db.exec('ALTER TABLE memory_history RENAME TO memory_history_aside');
  sample(1);
  await store.flush();
  sample(2);
  sample(3);
  await store.flush();
  await store.flush();
  assert.equal(store.samplesLost, 3);
  assert.equal(lines.filter((l) => /cannot write memory samples/.test(l)).length, 1, lines.join('\n'));
  await store.db.exec('ALTER TABLE memory_history_aside RENAME TO memory_history');
  sample(4);
  await store.flush();
  await store.finishRun(await store.startRun(run(5), LIMITS), finished(6));
  await close();
  assert.deepEqual(await read(path, 'SELECT at_ms FROM memory_history'), [{ at_ms: 4 }]);
  assert.ok(lines.some((l) => /memory samples are written to history\.db again; 3 were dropped/.test(l)), lines.join('\n'));
});
