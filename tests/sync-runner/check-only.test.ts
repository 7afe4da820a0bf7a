// `--check`: the runner says what a sync would refuse at start-up (the Pylantir config, the REDCap settings an
// enabled redcap source needs) and exits with that code, contacting nobody and writing nothing.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { useRedcapSuite } from '../fixtures/redcap-suite.ts';
import { runRunner } from '../fixtures/runner-process.ts';
import { redcapConfig } from '../fixtures/runner-workspace.ts';

const redcap = useRedcapSuite();

test('--check passes a valid config with credentials, without a request to REDCap or a worklist written', async () => {
  const ws = await redcap.workspace();
  await ws.writeConfig(redcapConfig(ws));
  redcap.server.requests.length = 0;
  const run = await runRunner({ cwd: ws.dir, args: ['--check', '--pylantir-config', ws.configPath], env: redcap.env() });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trim(), '');
  assert.equal(redcap.server.requests.length, 0, 'REDCap is not contacted');
  assert.equal(existsSync(ws.dbPath), false, 'no worklist is created');
});

test('--check names missing credentials (41) and an invalid Pylantir config (40) on stdout, never the token', async () => {
  const ws = await redcap.workspace();
  await ws.writeConfig(redcapConfig(ws));
  const noUrl = await runRunner({ cwd: ws.dir, args: ['--check', '--pylantir-config', ws.configPath], env: { REDCAP_API_TOKEN: 'f'.repeat(32) } });
  assert.equal(noUrl.code, 41, noUrl.stderr);
  assert.match(noUrl.stdout, /^REDCap credentials \(a "redcap" source is enabled\): \[CREDENTIALS_INVALID\] REDCAP_API_URL is not set/);
  assert.doesNotMatch(noUrl.stdout, /f{32}/i);
  await ws.writeConfig({ data_sources: 'not a list' });
  const invalid = await runRunner({ cwd: ws.dir, args: ['--check', '--pylantir-config', ws.configPath], env: redcap.env() });
  assert.equal(invalid.code, 40, invalid.stderr);
  assert.match(invalid.stdout, /^sync\.pylantirConfig: \[PYLANTIR_CONFIG_INVALID\] /);
});
