// Where the REDCap token could escape, end to end with the real runner: an error that echoes it lowercased, a plain
// http:// URL to another host, and the REDCAP_ALLOW_HTTP escape hatch. Also the ".../api" URL operators paste.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { syntheticRecords } from '../../examples/demo/synthetic-records.ts';
import type { ResultMessage } from '../../shared/protocol.ts';
import { useRedcapSuite } from '../helpers/redcap-suite.ts';
import { runRunner } from '../helpers/runner-process.ts';
import { dumpWorklist, redcapConfig, TEST_TOKEN, type Workspace } from '../helpers/runner-workspace.ts';

const redcap = useRedcapSuite(syntheticRecords(6, { seed: 51 }));
const workspace = () => redcap.workspace((w) => redcapConfig(w, { max_attempts: 1 }));
const sync = (ws: Workspace, env: Record<string, string>) => runRunner({ cwd: ws.dir, args: ['--pylantir-config', ws.configPath, '--data-dir', ws.dataDir, '--log-level', 'debug'], env });
const resultOf = (run: Awaited<ReturnType<typeof sync>>) => run.messages.find((m): m is ResultMessage => m.type === 'result')?.sources[0];

/**
 * The stand-in listens on 127.0.0.1, which is loopback. On Linux a connection to 0.0.0.0 reaches the same local
 * listener, yet 0.0.0.0 is not a loopback address by name: it stands in for a REDCap on another host.
 */
const notLoopbackUrl = () => redcap.server.url.replace('127.0.0.1', '0.0.0.0');

test('REDCap echoes the token lowercased in an error: neither stderr nor the IPC result holds it, in any case', async () => {
  const ws = await workspace();
  redcap.server.fail({ mode: 'echo-token' });
  const run = await sync(ws, redcap.env());
  redcap.server.fail(undefined);
  assert.equal(run.code, 42, run.stderr);
  assert.match(resultOf(run)?.error?.message ?? '', /HTTP 400: The API token "\[redacted\]" is not valid/, 'the echo went through redaction');
  const everything = `${run.stdout}\n${run.stderr}\n${JSON.stringify(run.messages)}`.toLowerCase();
  assert.ok(!everything.includes(TEST_TOKEN.toLowerCase()), 'the token leaked in some letter case');
});

test('a plain http:// URL to a host that is not loopback is refused before any request: the token would cross the network in clear', async () => {
  const ws = await workspace();
  redcap.server.requests.length = 0;
  const run = await sync(ws, { ...redcap.env(), REDCAP_API_URL: notLoopbackUrl() });
  assert.equal(run.code, 41, run.stderr);
  assert.equal(resultOf(run)?.error?.code, 'CREDENTIALS_INVALID');
  assert.match(resultOf(run)?.error?.message ?? '', /plain http:\/\/ to 0\.0\.0\.0:\d+, so the API token would cross the network in clear text; use https:\/\/, or set REDCAP_ALLOW_HTTP=1/);
  assert.deepEqual(redcap.server.requests, [], 'nothing was sent');
});

test('REDCAP_ALLOW_HTTP=1: the run goes on and warns loudly, every run, failed or not', async () => {
  const ws = await workspace();
  const env = { ...redcap.env(), REDCAP_API_URL: notLoopbackUrl(), REDCAP_ALLOW_HTTP: '1' };
  const loud = /INSECURE: REDCAP_ALLOW_HTTP=1 sends the REDCap API token in clear text over http:\/\/ to 0\.0\.0\.0:\d+/;
  const ok = await sync(ws, env);
  assert.equal(ok.code, 0, ok.stderr);
  assert.ok(resultOf(ok)?.warnings.some((w) => loud.test(w)), 'in the result, so the history keeps it');
  assert.match(ok.stderr, new RegExp(`warn.*source main: ${loud.source}`), 'in the log, at warn level');
  assert.ok((await dumpWorklist(ws.dbPath)).length > 0, 'the sync happened');

  redcap.server.fail({ mode: 'unauthorized' });
  const failed = await sync(ws, env);
  redcap.server.fail(undefined);
  assert.equal(failed.code, 42, failed.stderr);
  assert.ok(resultOf(failed)?.warnings.some((w) => loud.test(w)), 'a failed run says it too');
});

test('a REDCAP_API_URL ending in /api (no slash) is accepted', async () => {
  const ws = await workspace();
  const run = await sync(ws, { ...redcap.env(), REDCAP_API_URL: redcap.server.url.replace(/\/$/, '') });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(resultOf(run)?.status, 'ok');
  assert.doesNotMatch(run.stderr, /INSECURE/, 'loopback http is quiet');
});
