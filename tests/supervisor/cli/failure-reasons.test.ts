// Failures say why, through the real bin: a REDCap 403 and a runner that cannot start are named in the run's log
// line, `history runs`, `history run` and the status page's recent runs. The bundled runner is dist/ (built first).
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { Database } from '../../../shared/sqlite.ts';
import { readHistorySnapshot } from '../../../supervisor/history/snapshot.ts';
import { useRedcapSuite } from '../../helpers/redcap-suite.ts';
import { redcapConfig } from '../../helpers/runner-workspace.ts';
import { syntheticRecords } from '../../../examples/demo/synthetic-records.ts';
import { cronEnv, runBin } from '../../helpers/spawn-bin.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const redcap = useRedcapSuite();

async function recentRuns(dataDir: string) {
  const db = await Database.open(join(dataDir, 'history.db'), { readonly: true });
  try {
    return (await readHistorySnapshot(db, Date.now())).recentRuns;
  } finally {
    await db.close();
  }
}

test('a REDCap 403: its code and message in the log line, `history runs`, `history run` and /memory-status', async () => {
  const ws = await redcap.workspace((w) => redcapConfig(w, { max_attempts: 1 }));
  redcap.server.setRecords(syntheticRecords(3, { seed: 3 }));
  redcap.server.fail({ mode: 'forbidden' });
  const config = join(ws.dir, 'supervisor.json');
  await writeFile(config, JSON.stringify({ sync: { pylantirConfig: ws.configPath }, dataDir: './state', restart: { maxAttempts: 1 } }));
  const env = cronEnv(ws.dir, redcap.env());
  const run = runBin(['run-once', '--config', config], { cwd: ws.dir, env });
  assert.equal((await run.exit).code, 1, run.stderr());
  assert.match(run.stderr(), /run 1 \(attempt 1\) failed in \d+ ms, exit 42.*\| why: source main: \[REDCAP_HTTP_ERROR\] .*HTTP 403: You do not have permissions to use the API/);

  const runs = runBin(['history', 'runs', '--config', config], { cwd: ws.dir, env });
  assert.equal((await runs.exit).code, 0, runs.stderr());
  assert.match(runs.stdout(), /^\s*1 .* failed {2}REDCAP_HTTP_ERROR REDCap refused/m);

  const one = runBin(['history', 'run', '1', '--config', config], { cwd: ws.dir, env });
  assert.equal((await one.exit).code, 0, one.stderr());
  assert.match(one.stdout(), /^ {2}error {9}source main: \[REDCAP_HTTP_ERROR\] .*HTTP 403: You do not have permissions to use the API/m);
  assert.doesNotMatch(one.stdout(), /over 1 processes/);

  const [recent] = await recentRuns(join(ws.dir, 'state'));
  assert.equal(recent?.failure?.code, 'REDCAP_HTTP_ERROR');
  assert.equal(recent?.failure?.source, 'main');
  assert.match(recent?.failure?.message ?? '', /HTTP 403/);
  redcap.server.fail(undefined);
});

test('a REDCap 403 or 401 is asked once per tick: no runner restart (a refusal will not fix itself), one alert that says why', async () => {
  for (const mode of ['forbidden', 'unauthorized'] as const) {
    const ws = await redcap.workspace((w) => redcapConfig(w));
    redcap.server.setRecords(syntheticRecords(3, { seed: 3 }));
    redcap.server.fail({ mode });
    const config = join(ws.dir, 'supervisor.json');
    // The defaults: 3 attempts per tick, 4 tries per request, fast backoff so a wrong restart would show quickly.
    await writeFile(config, JSON.stringify({ sync: { pylantirConfig: ws.configPath }, dataDir: './state', restart: { backoffMs: 10 } }));
    const before = redcap.server.requests.length;
    const run = runBin(['run-once', '--config', config], { cwd: ws.dir, env: cronEnv(ws.dir, redcap.env()) });
    assert.equal((await run.exit).code, 1, run.stderr());
    redcap.server.fail(undefined);
    assert.equal(redcap.server.requests.length - before, 1, `${mode}: one request, not one per attempt`);
    assert.match(run.stderr(), /not restarting the runner in this tick: exit 42 \(REDCAP_HTTP_ERROR\)/);
    assert.doesNotMatch(run.stderr(), /attempt 2/);
    assert.match(run.stderr(), /runner gave up after 1 attempt \(REDCAP_HTTP_ERROR, which a restart cannot fix\)/);
    const db = await Database.open(join(ws.dir, 'state', 'history.db'), { readonly: true });
    try {
      assert.equal((await db.get<{ n: number }>("SELECT count(*) AS n FROM runs WHERE status != 'skipped'"))?.n, 1);
    } finally {
      await db.close();
    }
  }
});

test('a REDCap 503 is still retried: per request, and by a runner restart in the tick', async () => {
  const ws = await redcap.workspace((w) => redcapConfig(w, { max_attempts: 2 }));
  redcap.server.setRecords(syntheticRecords(3, { seed: 3 }));
  redcap.server.fail({ mode: 'html-500' });
  const config = join(ws.dir, 'supervisor.json');
  await writeFile(config, JSON.stringify({ sync: { pylantirConfig: ws.configPath }, dataDir: './state', restart: { maxAttempts: 2, backoffMs: 10 } }));
  const before = redcap.server.requests.length;
  const run = runBin(['run-once', '--config', config], { cwd: ws.dir, env: cronEnv(ws.dir, redcap.env()) });
  assert.equal((await run.exit).code, 1, run.stderr());
  redcap.server.fail(undefined);
  assert.equal(redcap.server.requests.length - before, 4, '2 tries per request × 2 runner attempts');
  assert.match(run.stderr(), /exit 51.*REDCAP_SERVER_ERROR/);
});

test('a runner.command that does not exist: ENOENT and the command in the row, the log line and `history run`', async () => {
  const dir = await tempDir();
  const config = join(dir, 'config.json');
  await writeFile(config, JSON.stringify({ runner: { command: join(dir, 'no-such-runner'), args: [] }, dataDir: './data', restart: { maxAttempts: 1 } }));
  const run = runBin(['run-once', '--config', config], { cwd: dir });
  assert.equal((await run.exit).code, 1, run.stderr());
  assert.match(run.stderr(), new RegExp(`failed in \\d+ ms, exit n/a, peak n/a \\| why: \\[ENOENT\\] cannot start runner\\.command "${join(dir, 'no-such-runner')}" in ${dir}: not found`));

  const runs = runBin(['history', 'runs', '--config', config], { cwd: dir });
  assert.equal((await runs.exit).code, 0, runs.stderr());
  assert.match(runs.stdout(), /failed {2}ENOENT cannot start runner\.command/);
  const one = runBin(['history', 'run', '1', '--config', config], { cwd: dir });
  assert.equal((await one.exit).code, 0, one.stderr());
  assert.match(one.stdout(), /^ {2}error {9}\[ENOENT\] cannot start runner\.command ".*no-such-runner" in .*: not found \(or runner\.cwd does not exist\) \(spawn .*no-such-runner ENOENT\)$/m);
  const [recent] = await recentRuns(join(dir, 'data'));
  assert.equal(recent?.failure?.code, 'ENOENT');
});

test('a runner.command that is not executable: the row names the command, whichever way the exec failure surfaces', async () => {
  const dir = await tempDir();
  const script = join(dir, 'runner.sh');
  await writeFile(script, '#!/bin/sh\nexit 0\n', { mode: 0o644 });
  const config = join(dir, 'config.json');
  await writeFile(config, JSON.stringify({ runner: { command: script, args: [] }, dataDir: './data', restart: { maxAttempts: 1 } }));
  const run = runBin(['run-once', '--config', config], { cwd: dir });
  assert.equal((await run.exit).code, 1, run.stderr());
  const one = runBin(['history', 'run', '1', '--config', config], { cwd: dir });
  assert.equal((await one.exit).code, 0, one.stderr());
  assert.match(one.stdout(), /^ {2}error {9}\[(EACCES|EXIT_127)\] .*runner\.command ".*runner\.sh"/m);
});
