import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Database } from '../../../shared/sqlite.ts';
import { openHistoryForWrite } from '../../../supervisor/history/open-history.ts';
import { HISTORY_APPLICATION_ID, HISTORY_SCHEMA_VERSION, MIGRATIONS } from '../../../supervisor/history/schema.ts';
import { runCli } from '../../helpers/history-cli-harness.ts';
import { fixtureConfig, superviseOnce } from '../../helpers/harness.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { mkdir } from 'node:fs/promises';
import { runBin, writeFixtureConfig } from '../../helpers/spawn-bin.ts';

const STARTED = Date.UTC(2026, 0, 30, 12, 0);

/** A history.db exactly as the first released schema wrote it: one killed run and its emergency alert. */
async function writeSchemaOneFile(path: string): Promise<void> {
  const db = await Database.open(path);
  await db.exec(`${MIGRATIONS[0] ?? ''}; PRAGMA application_id = ${HISTORY_APPLICATION_ID}; PRAGMA user_version = 1;`);
  await db.run(
    `INSERT INTO runs (tick_at_ms, attempt, pid, command, started_at_ms, ended_at_ms, status, reason, signal, peak_rss_bytes, sample_count, emergency_at_ms)
     VALUES (?, 1, 4242, 'node leak.mjs', ?, ?, 'killed', 'memory', 'SIGTERM', ?, 0, ?)`,
    [STARTED, STARTED, STARTED + 3000, 260 * 1024 * 1024, STARTED + 2500],
  );
  await db.run(`INSERT INTO alerts (at_ms, level, kind, message, value, run_id) VALUES (?, 'critical', 'memory-emergency', ?, 260, 1)`, [
    STARTED + 2500, 'runner killed: tree RSS 260 MB exceeded emergency limit 250 MB (1 processes); run 1',
  ]);
  await db.close();
}

test('the CLI reads a schema-1 copy as it is: limits "not recorded", never parsed out of alert text, export without the new columns', async () => {
  const dir = await tempDir();
  await writeSchemaOneFile(join(dir, 'old.db'));
  const run = await runCli(['run', '1', '--db', 'old.db'], { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /limits {8}not recorded/);
  assert.match(run.stdout, /emergency {5}2026-01-30 12:00:02 UTC \(\+2\.5 s\)/);
  // The old alert's message says 250 MB; thresholds come from stored limits only, never from prose.
  assert.doesNotMatch(run.stdout, /line 250 MB/);
  const csv = await runCli(['export', '--table', 'runs', '--format', 'csv', '--db', 'old.db'], { cwd: dir });
  assert.equal(csv.code, 0, csv.stderr);
  const header = csv.stdout.split('\n')[0] ?? '';
  assert.match(header, /^id,tick_at_ms,.*,result_json\r?$/, header);
  const db = await Database.open(join(dir, 'old.db'), { readonly: true });
  assert.equal((await db.get<{ user_version: number }>('PRAGMA user_version'))?.user_version, 1, 'the read-only CLI never migrates');
  await db.close();
});

test('opening a schema-1 file for writing migrates it in place and keeps every row', async () => {
  const dir = await tempDir();
  const path = join(dir, 'history.db');
  await writeSchemaOneFile(path);
  const db = await openHistoryForWrite(path);
  try {
    assert.equal((await db.get<{ user_version: number }>('PRAGMA user_version'))?.user_version, HISTORY_SCHEMA_VERSION);
    const row = await db.get<Record<string, unknown>>('SELECT * FROM runs WHERE id = 1');
    assert.equal(row?.status, 'killed');
    assert.equal(row?.peak_rss_bytes, 260 * 1024 * 1024);
    assert.equal(row?.emergency_mb, null, 'an old run has no recorded limits, and none are invented');
    assert.equal((await db.get<{ n: number }>('SELECT count(*) AS n FROM alerts'))?.n, 1);
    assert.equal((await db.get<{ integrity_check: string }>('PRAGMA integrity_check'))?.integrity_check, 'ok');
  } finally {
    await db.close();
  }
});

test('a run stores the limits it was held to, and `history run` draws those lines even with no alert', async () => {
  const config = await fixtureConfig('ok-runner.mjs', [], { memory: { warnMb: 321, emergencyMb: 654, hardLimitMb: 700, graceMs: 1500 }, run: { timeoutMs: 90_000 } });
  const { runs } = await superviseOnce(config);
  const row = runs[0] as unknown as Record<string, unknown>;
  assert.deepEqual([row.warn_mb, row.emergency_mb, row.hard_limit_mb, row.grace_ms, row.timeout_ms], [321, 654, 700, 1500, 90_000]);
  const cli = await runCli(['run', '1', '--data-dir', config.dataDir], { cwd: config.dataDir });
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, /limits {8}warn 321 MB, emergency 654 MB, hard 700 MB, grace 1\.5 s, timeout 1 m 30 s\n/);
  assert.match(cli.stdout, /warn line {5}not crossed \(321 MB\)/);
  assert.match(cli.stdout, /emergency {5}not crossed \(654 MB\)/);
  const json = JSON.parse((await runCli(['run', '1', '--json', '--data-dir', config.dataDir], { cwd: config.dataDir })).stdout);
  assert.deepEqual(json.thresholds, { warnMb: 321, emergencyMb: 654 });
  const csv = await runCli(['export', '--table', 'runs', '--format', 'csv', '--data-dir', config.dataDir], { cwd: config.dataDir });
  assert.match(csv.stdout.split('\n')[0] ?? '', /,warn_mb,emergency_mb,hard_limit_mb,grace_ms,timeout_ms\r?$/);
});

test('opening a schema-3 file for writing adds the worklist tables (schema 4) and keeps every row', async () => {
  const dir = await tempDir();
  const path = join(dir, 'history.db');
  const old = await Database.open(path);
  await old.exec(`${MIGRATIONS.slice(0, 3).join(';\n')}; PRAGMA application_id = ${HISTORY_APPLICATION_ID}; PRAGMA user_version = 3;`);
  await old.run(`INSERT INTO runs (tick_at_ms, attempt, command, started_at_ms, ended_at_ms, status, stragglers_killed) VALUES (?, 1, 'node x', ?, ?, 'ok', 1)`, [STARTED, STARTED, STARTED + 1000]);
  await old.run(`INSERT INTO alerts (at_ms, level, kind, message) VALUES (?, 'info', 'supervisor-start', 'started')`, [STARTED]);
  await old.run(`INSERT INTO alert_deliveries (alert_id, sink, idempotency_key, state, next_attempt_at_ms, created_at_ms) VALUES (1, 'hook', 'k1', 'pending', ?, ?)`, [STARTED, STARTED]);
  await old.close();
  const db = await openHistoryForWrite(path);
  try {
    assert.equal((await db.get<{ user_version: number }>('PRAGMA user_version'))?.user_version, HISTORY_SCHEMA_VERSION);
    assert.ok(HISTORY_SCHEMA_VERSION >= 4);
    assert.equal((await db.get<{ stragglers_killed: number }>('SELECT stragglers_killed FROM runs WHERE id = 1'))?.stragglers_killed, 1);
    assert.equal((await db.get<{ n: number }>('SELECT count(*) AS n FROM alert_deliveries'))?.n, 1);
    const columns = (await db.all<{ name: string }>('PRAGMA table_info(worklist_changes)')).map((c) => c.name);
    assert.deepEqual(columns, ['id', 'journal_id', 'seq', 'row_id', 'patient_id', 'from_status', 'to_status', 'reason', 'source', 'record', 'instance', 'run_id', 'at_ms', 'received_at_ms']);
    const indexes = (await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'worklist_changes'")).map((i) => i.name).sort();
    assert.deepEqual(indexes, ['sqlite_autoindex_worklist_changes_1', 'worklist_changes_at', 'worklist_changes_run']);
    const insert = `INSERT INTO worklist_changes (journal_id, seq, row_id, from_status, to_status, reason, source, record, at_ms, received_at_ms) VALUES ('j', 1, 7, 'SCHEDULED', 'CANCELED', 'expired', 's', 'r', 1, 1)`;
    await db.run(insert);
    await assert.rejects(db.run(insert), /UNIQUE constraint failed: worklist_changes.journal_id, worklist_changes.seq/);
    assert.equal((await db.get<{ integrity_check: string }>('PRAGMA integrity_check'))?.integrity_check, 'ok');
  } finally {
    await db.close();
  }
});

test('a start that migrates the history logs one info line per migration (file, from, to); a new file one line; a current one none', async () => {
  const dir = await tempDir();
  const config = await writeFixtureConfig(dir, 'ok-runner.mjs', []);
  const path = join(dir, 'data', 'history.db');
  await mkdir(join(dir, 'data'), { mode: 0o700 });
  await writeSchemaOneFile(path);
  const migrated = runBin(['run-once', '--config', config], { cwd: dir });
  assert.equal((await migrated.exit).code, 0, migrated.stderr());
  const lines = migrated.stderr().split('\n').filter((l) => /history .* (migrated|created)/.test(l));
  const expected = Array.from({ length: HISTORY_SCHEMA_VERSION - 1 }, (_, i) => `history ${path} migrated from schema version ${i + 1} to ${i + 2}`);
  assert.deepEqual(lines.map((l) => l.replace(/^\S+ info\s+/, '')), expected);

  const again = runBin(['run-once', '--config', config], { cwd: dir });
  assert.equal((await again.exit).code, 0, again.stderr());
  assert.doesNotMatch(again.stderr(), /history .* (migrated|created)/);

  const fresh = await tempDir();
  const created = runBin(['run-once', '--config', await writeFixtureConfig(fresh, 'ok-runner.mjs', [])], { cwd: fresh });
  assert.equal((await created.exit).code, 0, created.stderr());
  assert.match(created.stderr(), new RegExp(`info  history ${join(fresh, 'data', 'history.db')} created at schema version ${HISTORY_SCHEMA_VERSION}\n`));
});
