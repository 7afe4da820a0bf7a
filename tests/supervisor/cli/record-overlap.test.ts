// run-once with the lock held writes its `skipped` row beside the holder only into our own current schema, judged by
// the one header check (history-header.ts); any other file is left as it was, and the reason is said.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { closeLogger } from '../../../shared/logger.ts';
import { Database } from '../../../shared/sqlite.ts';
import { recordOverlap } from '../../../supervisor/cli/record-overlap.ts';
import { openHistoryForWrite } from '../../../supervisor/history/open-history.ts';
import { HISTORY_SCHEMA_VERSION } from '../../../supervisor/history/schema.ts';
import { capturedLogger, fixtureConfig } from '../../helpers/harness.ts';

async function withHistory(pragma: string | undefined) {
  const config = await fixtureConfig('ok-runner.mjs', []);
  const path = join(config.dataDir, 'history.db');
  const db = await openHistoryForWrite(path);
  if (pragma) await db.exec(pragma);
  await db.close();
  return { config, path };
}

async function header(path: string) {
  const db = await Database.open(path, { readonly: true });
  try {
    const runs = await db.get<{ n: number }>('SELECT count(*) AS n FROM runs');
    const version = await db.get<{ user_version: number }>('PRAGMA user_version');
    return { runs: runs?.n, version: version?.user_version };
  } finally {
    await db.close();
  }
}

test('our current schema: the skip is recorded as a run', async () => {
  const { config, path } = await withHistory(undefined);
  const { logger } = capturedLogger();
  assert.deepEqual(await recordOverlap(config, 'node runner', 1000, logger), { runId: 1 });
  await closeLogger(logger);
  assert.deepEqual(await header(path), { runs: 1, version: HISTORY_SCHEMA_VERSION });
});

test('an older schema of ours (a migration only the lock holder makes) and another application\'s file are left alone', async () => {
  for (const [pragma, said] of [
    [`PRAGMA user_version = ${HISTORY_SCHEMA_VERSION - 1}`, `has schema ${HISTORY_SCHEMA_VERSION - 1} \\(application \\d+\\)`],
    ['PRAGMA application_id = 42', `has schema ${HISTORY_SCHEMA_VERSION} \\(application 42\\)`],
    [`PRAGMA user_version = ${HISTORY_SCHEMA_VERSION + 1}`, `has schema ${HISTORY_SCHEMA_VERSION + 1} `],
  ] as const) {
    const { config, path } = await withHistory(pragma);
    const before = await header(path);
    const { logger } = capturedLogger();
    const recorded = await recordOverlap(config, 'node runner', 1000, logger);
    await closeLogger(logger);
    assert.ok('notRecorded' in recorded, pragma);
    assert.match(recorded.notRecorded, new RegExp(`${said}.*; this version writes schema ${HISTORY_SCHEMA_VERSION} only under the lock`));
    assert.deepEqual(await header(path), before, `${pragma}: untouched`);
  }
});
