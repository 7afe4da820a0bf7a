// Fault: contention on worklist.db. A reader keeps the file open and queries it throughout (as Pylantir's MWL
// server does), while another process holds a write lock (as an MPPS update mid-transaction would): first for
// less than the runner's busy timeout (the sync waits, then succeeds), then for longer (the sync fails with
// WORKLIST_DB_BUSY, naming the file, and writes nothing). Nothing is ever corrupted and the next sync completes.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { syntheticRecords } from '../../examples/demo/synthetic-records.ts';
import { formatRedcapDateTime } from '../../sync-runner/watermark.ts';
import { useRedcapSuite } from '../helpers/redcap-suite.ts';
import { runRunner } from '../helpers/runner-process.ts';
import { dumpWorklist, type Workspace } from '../helpers/runner-workspace.ts';
import { fixture } from '../helpers/harness.ts';
import { apiConfig, assertIntegrity, assertNoDuplicates, assertNoSurvivors, assertWorklistEquals } from './fault-kit.ts';

const redcap = useRedcapSuite();
const workspace = () => redcap.workspace((ws) => apiConfig(ws, { batch_size: 50 }));

const redcapEnv = () => (redcap.env());
const sync = (ws: Workspace) => runRunner({ cwd: ws.dir, args: ['--pylantir-config', ws.configPath, '--data-dir', ws.dataDir], env: redcapEnv() });

interface Helper { child: ChildProcessWithoutNullStreams; line(pattern: RegExp): Promise<string>; exited: Promise<unknown> }

/** A fixture child whose stdout lines can be awaited; closing its stdin tells it to finish. */
function helper(script: string, args: string[]): Helper {
  const child = spawn(process.execPath, [fixture(script), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let text = '';
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
    for (const w of [...waiters]) {
      const m = w.pattern.exec(text);
      if (m) { waiters.splice(waiters.indexOf(w), 1); w.resolve(m[0]); }
    }
  });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = once(child, 'exit');
  return {
    child,
    exited,
    line: (pattern) => {
      const m = pattern.exec(text);
      if (m) return Promise.resolve(m[0]);
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        void exited.then(() => setImmediate(() => reject(new Error(`${script} exited before ${pattern}: ${text}${err}`))));
      });
    },
  };
}

test('a reader throughout, a short write lock (the sync waits) and a long one (WORKLIST_DB_BUSY); nothing corrupts', { timeout: 90_000 }, async () => {
  redcap.server.setRecords(syntheticRecords(200, { seed: 21 }));
  const ws = await workspace();
  assert.equal((await sync(ws)).code, 0);

  const reader = helper('fault-reader.mjs', [ws.dbPath]);
  await reader.line(/READY pid=\d+/);

  // 1. A lock held 1.5 s, well inside the 10 s busy timeout: the sync waits for it and succeeds.
  redcap.server.upsertRecords(syntheticRecords(20, { seed: 22, firstRecord: 201 }), formatRedcapDateTime(new Date(Date.now() + 60_000)));
  const short = helper('fault-lock-holder.mjs', [ws.dbPath, '1500']);
  await short.line(/LOCKED pid=\d+/);
  const waited = await sync(ws);
  assert.equal(waited.code, 0, `the sync must wait out a short lock: ${waited.stderr}`);
  await short.exited;

  // 2. A lock held past the busy timeout: a clear WORKLIST_DB_BUSY (exit 46) naming the file; nothing written.
  redcap.server.upsertRecords(syntheticRecords(20, { seed: 23, firstRecord: 221 }), formatRedcapDateTime(new Date(Date.now() + 120_000)));
  const long = helper('fault-lock-holder.mjs', [ws.dbPath, '60000']);
  await long.line(/LOCKED pid=\d+/);
  const before = await dumpWorklist(ws.dbPath);
  const busy = await sync(ws);
  long.child.stdin.end();
  await long.exited;
  assert.equal(busy.code, 46, busy.stderr);
  assert.match(busy.stderr, /WORKLIST_DB_BUSY/);
  assert.ok(busy.stderr.includes(ws.dbPath), 'the error names the worklist file');
  assert.match(busy.stderr, /stayed locked past the busy timeout/);
  await assertIntegrity(ws.dbPath, 'after the busy failure');
  await assertNoDuplicates(ws.dbPath);
  const afterBusy = await dumpWorklist(ws.dbPath);
  assert.equal(afterBusy.length, before.length, 'the failed sync wrote no row');

  // 3. The next sync completes: the worklist equals a clean sync of the same records, except the row
  //    the "MPPS" process moved to IN_PROGRESS, which the sync never overwrites.
  assert.equal((await sync(ws)).code, 0);
  reader.child.stdin.end();
  const seen = await reader.line(/READER .*/);
  await reader.exited;
  const stats = /queries=(\d+) errors=(\d+) decreased=(\d+)/.exec(seen);
  assert.ok(Number(stats?.[1]) > 50, `the reader kept querying: ${seen}`);
  assert.equal(Number(stats?.[2]), 0, `the reader never failed: ${seen}`);
  assert.equal(Number(stats?.[3]), 0, `the reader never saw rows disappear: ${seen}`);

  const clean = await workspace();
  assert.equal((await sync(clean)).code, 0);
  const expected = await dumpWorklist(clean.dbPath);
  const inProgress = (await dumpWorklist(ws.dbPath)).filter((r) => r.performed_procedure_step_status === 'IN_PROGRESS');
  assert.equal(inProgress.length, 1, 'the status set by the other process survives every sync');
  for (const row of expected) if (row.patient_id === inProgress[0]?.patient_id) row.performed_procedure_step_status = 'IN_PROGRESS';
  await assertWorklistEquals(ws.dbPath, expected, 'after contention');
  await assertNoSurvivors(ws.dir, 2000, 'contention');
});
