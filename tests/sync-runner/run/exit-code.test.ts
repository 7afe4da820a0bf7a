import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SourceResult } from '../../../shared/protocol.ts';
import { exitCodeFor } from '../../../sync-runner/run/exit-code.ts';

const result = (status: SourceResult['status'], code?: string): SourceResult => ({
  name: 'x', status, fetched: 0, mriRows: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0, warnings: [], durationMs: 0, ...(code ? { error: { code, message: '' } } : {}),
});

test('exitCodeFor', () => {
  assert.equal(exitCodeFor([]), 0);
  assert.equal(exitCodeFor([result('ok'), result('skipped')]), 0);
  assert.equal(exitCodeFor([result('ok'), result('failed', 'SOURCE_UNSUPPORTED')]), 48);
  assert.equal(exitCodeFor([result('failed', 'REDCAP_HTTP_ERROR'), result('failed', 'RUNNER_INTERRUPTED')]), 49);
  assert.equal(exitCodeFor([result('failed', 'REDCAP_HTTP_ERROR'), result('failed', 'EXPORT_FILE_INVALID')]), 1);
  assert.equal(exitCodeFor([result('failed', 'NOT_A_RUNNER_CODE')]), 1);
});
