import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AppError } from '../../../shared/errors/app-error.ts';
import { loadPylantirConfig } from '../../../sync-runner/config/pylantir-config.ts';
import { expandPath } from '../../../shared/pylantir/db-path.ts';

let dir = '';
before(async () => (dir = await mkdtemp(join(tmpdir(), 'pylantir-config-'))));
after(() => rm(dir, { recursive: true, force: true }));

async function load(config: unknown, name = 'c.json') {
  const path = join(dir, name);
  await writeFile(path, typeof config === 'string' ? config : JSON.stringify(config));
  return loadPylantirConfig(path, { cwd: '/run/here', home: '/home/u' });
}

test('data_sources form: defaults, relative db_path against cwd, export path against the config folder', async () => {
  const config = await load({
    db_path: 'data/worklist.db',
    db_echo: false,
    users_db_path: '~/users.db',
    allowed_aet: ['X'],
    api: { port: 1 },
    data_sources: [
      { name: 'a', type: 'redcap', sync_interval: 60, operation_interval: { start_time: [22, 0], end_time: [2, 0] }, config: { site: 'uofc', protocol: 'P' }, field_mapping: { mri_date: 'scheduled_start_date' } },
      { name: 'b', type: 'redcap-export', enabled: false, config: { site: 7, path: 'exports/e.csv', batch_size: 50 } },
    ],
  });
  assert.equal(config.dbPath, '/run/here/data/worklist.db');
  const [a, b] = config.sources;
  assert.deepEqual(a?.window, { start: [22, 0], end: [2, 0] });
  assert.equal(a?.enabled, true);
  assert.equal(a?.batchSize, 500);
  assert.equal(a?.requestTimeoutMs, 30_000);
  assert.equal(a?.overlapMinutes, 5);
  assert.equal(b?.site, '7');
  assert.equal(b?.path, join(dir, 'exports/e.csv'));
  assert.equal(b?.batchSize, 50);
  assert.deepEqual(config.warnings, []);
});

test('legacy form becomes one source named redcap_legacy; ~ is the home dir', async () => {
  const config = await load({ db_path: '~/Desktop/worklist.db', db_update_interval: 60, site: 'x', protocol: { x: 'P' }, operation_interval: { start_time: [0, 0], end_time: [23, 59] }, redcap2wl: { study_id: 'study_id' } });
  assert.equal(config.dbPath, '/home/u/Desktop/worklist.db');
  assert.equal(config.sources.length, 1);
  assert.equal(config.sources[0]?.name, 'redcap_legacy');
  assert.equal(config.sources[0]?.type, 'redcap');
  assert.deepEqual(config.sources[0]?.protocol, { x: 'P' });
});

test('an enabled source with no site loads, keeps Pylantir\'s "_site_None", and is named in a warning; a disabled one is not', async () => {
  const config = await load({
    data_sources: [
      { name: 'nosite', type: 'redcap', config: { protocol: 'P' } },
      { name: 'off', type: 'redcap', enabled: false, config: {} },
    ],
  });
  assert.equal(config.sources[0]?.site, 'None');
  assert.equal(config.warnings.length, 1);
  assert.match(config.warnings[0] ?? '', /^source "nosite" has no site: its patient ids end in "_site_None"/);
  const legacy = await load({ redcap2wl: { study_id: 'study_id' } });
  assert.match(legacy.warnings[0] ?? '', /^source "redcap_legacy" has no site/);
});

test('Pylantir\'s shipped default (no sources) loads with a warning', async () => {
  const config = await load({ db_path: '~/Desktop/worklist.db', data_sources: [] });
  assert.deepEqual(config.warnings, ['no enabled data source: nothing to sync']);
});

test('errors name the key, what was expected, what was received, and the file', async () => {
  const cases: [unknown, RegExp][] = [
    [{ data_sources: [{ name: 'a', type: 'redcap', operation_interval: { start_time: [25, 0], end_time: [1, 0] } }] }, /key "data_sources\[0\]\.operation_interval\.start_time\[0\]" must be <= 23 \(received 25\)/],
    [{ data_sources: [{ name: 'a', type: 'redcap-export', config: {} }] }, /key "data_sources\[0\]\.config\.path" is required/],
    [{ data_sources: [{ type: 'redcap' }] }, /key "data_sources\[0\]\.name" is required/],
    [{ data_sources: [{ name: 'a', type: 'redcap', config: { protocol: 5 } }] }, /key "data_sources\[0\]\.config\.protocol" must be a string or an object of strings/],
    [{ redcap2wl: { a: 3 } }, /key "redcap2wl\.a" must be string \(received 3\)/],
    [{ data_sources: [{ name: 'a', type: 'redcap' }, { name: 'a', type: 'redcap' }] }, /two sources named "a"/],
    ['{ "db_path": ', /is not valid JSON/],
  ];
  for (const [config, pattern] of cases) {
    await assert.rejects(load(config), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'PYLANTIR_CONFIG_INVALID');
      assert.match(error.message, pattern);
      assert.ok(error.message.includes(join(dir, 'c.json')), 'names the file');
      return true;
    });
  }
  await assert.rejects(loadPylantirConfig(join(dir, 'missing.json'), { cwd: dir }), /cannot be read \(ENOENT\)/);
});

test('expandPath', () => {
  assert.equal(expandPath('~', '/b', '/h'), '/h');
  assert.equal(expandPath('/abs/x', '/b', '/h'), '/abs/x');
  assert.equal(expandPath('rel/x', '/b', '/h'), '/b/rel/x');
});
