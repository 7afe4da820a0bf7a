// Fault: REDCap misbehaves mid-export. The connection resets after half the batches (and keeps resetting past
// the retries), or a batch for ids REDCap has just listed comes back empty. Either way the error or warning is
// clear, the worklist holds only whole batches, the watermark does not advance, and the next sync re-exports
// what was missed, so nothing is lost for good. Or REDCap redirects elsewhere: the token never follows.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { syntheticRecords } from '../../examples/demo/synthetic-records.ts';
import type { ResultMessage } from '../../shared/protocol.ts';
import { formatRedcapDateTime, WATERMARK_FILE } from '../../sync-runner/watermark.ts';
import { startRecordingServer } from '../fixtures/recording-server.ts';
import { useRedcapSuite } from '../helpers/redcap-suite.ts';
import { runRunner } from '../helpers/runner-process.ts';
import { dumpWorklist, TEST_TOKEN, type Workspace } from '../helpers/runner-workspace.ts';
import { apiConfig, assertIntegrity, assertNoDuplicates, assertRowsAreFrom, assertWorklistEquals } from './fault-kit.ts';

const RECORDS = 400;
const BATCH = 50; // 8 batches

const redcap = useRedcapSuite();
const workspace = () => redcap.workspace((ws) => apiConfig(ws, { batch_size: BATCH, max_attempts: 2 }));

const sync = (ws: Workspace) => runRunner({ cwd: ws.dir, args: ['--pylantir-config', ws.configPath, '--data-dir', ws.dataDir], env: redcap.env() });
const watermarkPath = (ws: Workspace) => join(ws.dataDir, WATERMARK_FILE);

/** Moves the watermark back to `minutesAgo`, as if the last good sync ran then (the runner has no clock to inject). */
async function ageWatermark(ws: Workspace, minutesAgo: number): Promise<string> {
  const file = JSON.parse(await readFile(watermarkPath(ws), 'utf8')) as { sources: Record<string, { lastSuccessStart: string }> };
  for (const mark of Object.values(file.sources)) mark.lastSuccessStart = new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const text = `${JSON.stringify(file, null, 2)}\n`;
  await writeFile(watermarkPath(ws), text);
  return text;
}

/** A full sync, then every record changed 10 minutes ago (after the aged watermark, before "now − overlap"). */
async function syncedThenChanged(): Promise<{ ws: Workspace; before: Awaited<ReturnType<typeof dumpWorklist>>; mark: string; expected: Awaited<ReturnType<typeof dumpWorklist>> }> {
  redcap.server.setRecords(syntheticRecords(RECORDS, { seed: 41 }));
  const ws = await workspace();
  assert.equal((await sync(ws)).code, 0);
  const before = await dumpWorklist(ws.dbPath);
  const mark = await ageWatermark(ws, 30);
  redcap.server.upsertRecords(syntheticRecords(RECORDS, { seed: 41, baseDate: '2032-05-01' }), formatRedcapDateTime(new Date(Date.now() - 10 * 60_000)));
  const clean = await workspace();
  assert.equal((await sync(clean)).code, 0);
  return { ws, before, mark, expected: await dumpWorklist(clean.dbPath) };
}

test('the connection resets after half the batches: a clear REDCAP_UNREACHABLE, whole batches only, watermark kept', async () => {
  const { ws, before, mark, expected } = await syncedThenChanged();
  // Requests of content=record: 1 is the id export, 2..9 the batches; from the 6th on, every one resets.
  redcap.server.fail({ mode: 'reset', content: 'record', fromRequest: 6 });
  const failed = await sync(ws);
  redcap.server.fail(undefined);
  assert.equal(failed.code, 44, failed.stderr);
  assert.match(failed.stderr, /REDCAP_UNREACHABLE/);
  assert.match(failed.stderr, /connection failed.*gave up after 2 attempts/);
  assert.match(failed.stderr, /batch 5 of 8/, 'the error says which batch failed');
  const result = failed.messages.find((m): m is ResultMessage => m.type === 'result')?.sources[0];
  assert.equal(result?.status, 'failed');
  assert.equal(result?.error?.code, 'REDCAP_UNREACHABLE');

  await assertIntegrity(ws.dbPath, 'after the reset');
  await assertNoDuplicates(ws.dbPath);
  const rows = await dumpWorklist(ws.dbPath);
  assert.equal(rows.length, before.length, 'a date change updates rows, it never adds any');
  const changed = rows.filter((r) => !before.some((b) => JSON.stringify(b) === JSON.stringify(r))).length;
  assert.ok(changed > 0 && changed < expected.length, `some batches committed, not all (${changed} rows changed)`);
  assert.equal(await readFile(watermarkPath(ws), 'utf8'), mark, 'the watermark did not move');

  const retry = await sync(ws);
  assert.equal(retry.code, 0, retry.stderr);
  await assertWorklistEquals(ws.dbPath, expected, 'after the next sync');
});

test('a batch comes back empty: said plainly, the watermark kept, and the next sync fetches those records', async () => {
  const { ws, mark, expected } = await syncedThenChanged();
  redcap.server.fail({ mode: 'empty-batch', content: 'record', fromRequest: 3, times: 1 });
  const partial = await sync(ws);
  redcap.server.fail(undefined);
  assert.equal(partial.code, 0, partial.stderr);
  const warnings = partial.messages.find((m): m is ResultMessage => m.type === 'result')?.sources[0]?.warnings.join('\n') ?? '';
  assert.match(warnings, /1 batch\(es\) came back empty/);
  assert.match(warnings, /watermark was not advanced/);
  assert.match(partial.stderr, /came back empty/, 'the warning reaches the log');
  await assertIntegrity(ws.dbPath, 'after the empty batch');
  await assertNoDuplicates(ws.dbPath);
  await assertRowsAreFrom(ws.dbPath, [...expected, ...(await dumpWorklist(ws.dbPath))]);
  assert.equal(await readFile(watermarkPath(ws), 'utf8'), mark, 'the watermark did not move');

  assert.equal((await sync(ws)).code, 0);
  await assertWorklistEquals(ws.dbPath, expected, 'after the next sync: the empty batch was not lost for good');
});

test('REDCap redirects (307, 308) to another server: never followed, the token never gets there, REDCAP_REDIRECTED names the Location, worklist unchanged', async () => {
  const elsewhere = await startRecordingServer();
  try {
    const { ws, before, mark } = await syncedThenChanged();
    const beforeWithIds = await dumpWorklist(ws.dbPath, { withUid: true, withId: true });
    // The first request of a run (content=version), and the first record batch, once the id export has answered.
    const plans = [{ content: 'version' as const, fromRequest: 1, where: 'content=version' }, { content: 'record' as const, fromRequest: 2, where: 'content=record (batch 1 of 8' }];
    for (const status of [307, 308]) {
      for (const { content, fromRequest, where } of plans) {
        const target = `${elsewhere.origin}/redcap/api/`;
        const withUserinfo = target.replace('http://', 'http://admin:hunter2@');
        redcap.server.fail({ mode: 'redirect', content, fromRequest, redirect: { status, location: withUserinfo } });
        redcap.server.requests.length = 0;
        const run = await sync(ws);
        redcap.server.fail(undefined);
        const label = `HTTP ${status} on ${content}`;
        assert.equal(run.code, 50, `${label}: ${run.stderr}`);
        const result = run.messages.find((m): m is ResultMessage => m.type === 'result')?.sources[0];
        assert.equal(result?.error?.code, 'REDCAP_REDIRECTED', label);
        assert.ok(result?.error?.message.includes(`answered ${where}`), `${label}: ${result?.error?.message}`);
        assert.ok(result?.error?.message.includes(`with HTTP ${status}, a redirect to ${target};`), `${label}: names the Location`);
        assert.match(run.stderr, /REDCAP_REDIRECTED.*set REDCAP_API_URL to it/, `${label}: logged with what to do`);
        assert.ok(!`${run.stderr}${JSON.stringify(run.messages)}`.includes('hunter2'), `${label}: no userinfo printed`);
        assert.equal(redcap.server.requests.filter((r) => r.content === content).length, fromRequest, `${label}: the redirected request was not retried`);
        assert.equal(elsewhere.connections(), 0, `${label}: nothing connected to the redirect target`);
        const received = elsewhere.received().toLowerCase();
        assert.ok(!received.includes(TEST_TOKEN.toLowerCase()) && !received.includes('token'), `${label}: the token never reached the redirect target`);
        assert.deepEqual(await dumpWorklist(ws.dbPath, { withUid: true, withId: true }), beforeWithIds, `${label}: worklist unchanged`);
        assert.equal(await readFile(watermarkPath(ws), 'utf8'), mark, `${label}: the watermark did not move`);
      }
    }
    await assertIntegrity(ws.dbPath, 'after the redirects');
    assert.equal((await dumpWorklist(ws.dbPath)).length, before.length);
  } finally {
    redcap.server.fail(undefined);
    await elsewhere.close();
  }
});
