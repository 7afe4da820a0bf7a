import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { pylantirSyncOf } from '../../../supervisor/pylantir/sync-rule.ts';
import { configPathOf, pylantirTarget } from '../../../supervisor/pylantir/pylantir-target.ts';
import { worklistLocationWarnings } from '../../../supervisor/pylantir/location-warnings.ts';
import type { PylantirProcess } from '../../../supervisor/process/pylantir-processes.ts';

test("Pylantir 0.3.6's sync rule: data_sources with a truthy enabled source, or no data_sources key at all (the legacy branch)", () => {
  assert.equal(pylantirSyncOf({ data_sources: [{ name: 'a' }] }).syncs, true, 'enabled defaults to True');
  assert.equal(pylantirSyncOf({ data_sources: [{ name: 'a', enabled: false }, { name: 'b', enabled: 0 }] }).syncs, false);
  assert.equal(pylantirSyncOf({ data_sources: [], redcap2wl: { a: 'b' } }).syncs, false, 'the shipped template: data_sources wins');
  assert.equal(pylantirSyncOf({ redcap2wl: { a: 'b' } }).syncs, true);
  assert.equal(pylantirSyncOf({ allowed_aet: [] }).syncs, true, 'no data_sources: the legacy thread starts anyway');
  assert.equal(pylantirSyncOf({ data_sources: [{ name: 'a', enabled: 'false' }] }).syncs, true, 'a non-empty string is truthy in Python');
});

const proc = (over: Partial<PylantirProcess>): PylantirProcess => ({ pid: 7, argv: ['pylantir', 'start'], configArg: 'p.json', cwd: '/srv/pylantir', home: '/home/mri', ...over });

test('a Pylantir process\'s worklist resolves against its own cwd and home; what cannot be read is unknown, not quiet', () => {
  const p = proc({});
  assert.equal(configPathOf(p), '/srv/pylantir/p.json');
  const syncs = pylantirTarget(p, '/srv/pylantir/p.json', { ok: true, value: { db_path: 'wl.db', data_sources: [{ name: 'a' }] } });
  assert.deepEqual({ kind: syncs.kind, dbPath: syncs.kind === 'syncs' ? syncs.dbPath : '' }, { kind: 'syncs', dbPath: '/srv/pylantir/wl.db' });
  const tilde = pylantirTarget(p, '/srv/pylantir/p.json', { ok: true, value: { data_sources: [{ name: 'a' }] } });
  assert.equal(tilde.kind === 'syncs' && tilde.dbPath, '/home/mri/Desktop/worklist.db', "Pylantir's default db_path, in its user's home");
  assert.equal(pylantirTarget(p, '/srv/pylantir/p.json', { ok: false, missing: true, why: 'cannot be read (ENOENT)' }).kind, 'syncs', 'a missing config is {} to Pylantir: the legacy sync');
  assert.equal(pylantirTarget(p, '/srv/pylantir/p.json', { ok: false, missing: false, why: 'cannot be read (EACCES)' }).kind, 'unknown');
  const noCwd = proc({ cwd: undefined });
  assert.equal(configPathOf(noCwd), undefined);
  assert.equal(pylantirTarget(noCwd, undefined, undefined).kind, 'unknown');
  assert.equal(pylantirTarget(proc({ configArg: undefined }), undefined, undefined).kind, 'serves-only', 'the packaged default ships data_sources []');
});

test('location warnings: Pylantir\'s default path, /home and /root under ProtectHome, /tmp under PrivateTmp; the shipped unit still sets both', async () => {
  assert.match(worklistLocationWarnings(undefined, '/var/lib/sync/Desktop/worklist.db').join(), /Pylantir's default ~\/Desktop\/worklist\.db/);
  assert.match(worklistLocationWarnings('/home/mri/worklist.db', '/home/mri/worklist.db').join(), /ProtectHome=yes/);
  assert.match(worklistLocationWarnings('/root/worklist.db', '/root/worklist.db').join(), /under \/root/);
  assert.match(worklistLocationWarnings('/tmp/w.db', '/tmp/w.db').join(), /PrivateTmp=yes/);
  assert.deepEqual(worklistLocationWarnings('/var/lib/worklist/worklist.db', '/var/lib/worklist/worklist.db'), []);
  assert.deepEqual(worklistLocationWarnings('/homes/x.db', '/homes/x.db'), []);
  const unit = await readFile(fileURLToPath(new URL('../../../examples/deploy/systemd/sync-supervisor.service', import.meta.url)), 'utf8');
  assert.match(unit, /^ProtectHome=yes$/m);
  assert.match(unit, /^PrivateTmp=yes$/m);
});
