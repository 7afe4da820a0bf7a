// `--check`: the runner says what a sync would refuse at start-up (the Pylantir config, the REDCap settings an
// enabled redcap source needs) and exits with that code, contacting nobody and writing nothing.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { useRedcapSuite } from '../helpers/redcap-suite.ts';
import { runRunner } from '../helpers/runner-process.ts';
import { redcapConfig } from '../helpers/runner-workspace.ts';
import { LIFECYCLE_DEFAULTS } from '../../sync-runner/config/source-spec.ts';

const redcap = useRedcapSuite();

test('--check passes a valid config with credentials, without a request to REDCap or a worklist written', async () => {
  const ws = await redcap.workspace();
  await ws.writeConfig(redcapConfig(ws));
  redcap.server.requests.length = 0;
  const run = await runRunner({ cwd: ws.dir, args: ['--check', '--pylantir-config', ws.configPath], env: redcap.env() });
  assert.equal(run.code, 0, run.stderr);
  // Only notes, which check-config tells from problems by their prefix: the lifecycle settings, and the advice.
  assert.deepEqual(run.stdout.trim().split('\n'), [`note: source "main" lifecycle: cancel_removed false, expire_after_days off, max_cancel_fraction 0.2, dry_run false, snapshot_every_minutes ${LIFECYCLE_DEFAULTS.snapshotEveryMinutes}; deleted or cancelled REDCap visits stay on the scanner's worklist: set config.lifecycle "cancel_removed": true (with "dry_run": true first, to read what it would hide)`]);
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

test('--check prints the lifecycle settings of a source that has the step on, and a bad lifecycle key is refused naming it (40)', async () => {
  const ws = await redcap.workspace();
  await ws.writeConfig(redcapConfig(ws, { lifecycle: { cancel_removed: true, expire_after_days: 14, dry_run: true } }));
  const on = await runRunner({ cwd: ws.dir, args: ['--check', '--pylantir-config', ws.configPath], env: redcap.env() });
  assert.equal(on.code, 0, on.stderr);
  assert.match(on.stdout, /^note: source "main" lifecycle: cancel_removed true, expire_after_days 14, max_cancel_fraction 0\.2, dry_run true, snapshot_every_minutes \d+; dry_run is on: the step only logs what it would do/);
  for (const [lifecycle, message] of [
    [{ max_cancel_fraction: 0 }, /key "data_sources\[0\]\.config\.lifecycle\.max_cancel_fraction" must be > 0/],
    [{ max_cancel_fraction: 1.5 }, /key "data_sources\[0\]\.config\.lifecycle\.max_cancel_fraction" must be <= 1/],
    [{ expire_after_days: 2.5 }, /key "data_sources\[0\]\.config\.lifecycle\.expire_after_days" must be integer,null/],
    [{ cancel_removed: 'yes' }, /key "data_sources\[0\]\.config\.lifecycle\.cancel_removed" must be boolean/],
    [{ cancel_remove: true }, /key "data_sources\[0\]\.config\.lifecycle\.cancel_remove" must NOT have additional properties/],
  ] as const) {
    await ws.writeConfig(redcapConfig(ws, { lifecycle }));
    const bad = await runRunner({ cwd: ws.dir, args: ['--check', '--pylantir-config', ws.configPath], env: redcap.env() });
    assert.equal(bad.code, 40, bad.stdout);
    assert.match(bad.stdout, message);
  }
});
