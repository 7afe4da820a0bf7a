import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { AppError } from '../../../shared/errors/app-error.ts';
import { Database } from '../../../shared/sqlite.ts';
import { judgeHeader } from '../../../supervisor/history/history-header.ts';
import { openHistoryForWrite } from '../../../supervisor/history/open-history.ts';
import { openHistoryReadonly } from '../../../supervisor/history/open-history-readonly.ts';
import { HISTORY_APPLICATION_ID, HISTORY_SCHEMA_VERSION } from '../../../supervisor/history/schema.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

test('judgeHeader: ours, empty, foreign, newer', () => {
  const ours = HISTORY_APPLICATION_ID;
  assert.equal(judgeHeader({ applicationId: ours, userVersion: HISTORY_SCHEMA_VERSION, tableCount: 4 }), 'ours');
  assert.equal(judgeHeader({ applicationId: 0, userVersion: 0, tableCount: 0 }), 'empty');
  assert.equal(judgeHeader({ applicationId: 0, userVersion: 0, tableCount: 1 }), 'foreign');
  assert.equal(judgeHeader({ applicationId: ours, userVersion: HISTORY_SCHEMA_VERSION + 1, tableCount: 4 }), 'newer');
});

test('a history from a newer supervisor: both openers say the same thing, each with its own code and exit code', async () => {
  const path = join(await tempDir(), 'history.db');
  const db = await Database.open(path);
  await db.exec(`PRAGMA application_id = ${HISTORY_APPLICATION_ID}; PRAGMA user_version = 99; CREATE TABLE runs (id INTEGER PRIMARY KEY);`);
  await db.close();
  const refusal = async (open: Promise<Database>): Promise<AppError> => {
    const error = await open.then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof AppError, String(error));
    return error;
  };
  const writer = await refusal(openHistoryForWrite(path));
  const reader = await refusal(openHistoryReadonly(path));
  assert.equal(writer.message, reader.message);
  assert.equal(writer.message, `${path} has history schema version 99; this sync-supervisor knows up to ${HISTORY_SCHEMA_VERSION}`);
  assert.deepEqual([writer.code, writer.exitCode], ['HISTORY_TOO_NEW', 9]);
  assert.deepEqual([reader.code, reader.exitCode], ['HISTORY_SCHEMA_NEWER', 22]);
  assert.deepEqual(writer.details, reader.details);
});
