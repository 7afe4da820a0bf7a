// The runner's Pylantir-config validator is compiled ahead of time (ajv standalone, `npm run build`), so a runner
// start never loads and runs ajv's compiler. These tests keep that copy honest, as config-validator.test.ts does for
// the supervisor's: built from today's schema, judging configs exactly as ajv would, and loading no compiler.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import { generatedPylantirValidatorPath, generatedValidatorSource } from '../../../scripts/generate-config-validator.ts';
import { schemaDigest } from '../../../shared/schema-digest.ts';
import { pylantirConfigSchema } from '../../../sync-runner/config/pylantir-schema.ts';
import { compiledSchemaDigest } from '../../../sync-runner/config/pylantir-validator.generated.ts';
import { PYLANTIR_AJV_OPTIONS, pylantirValidator } from '../../../sync-runner/config/pylantir-validator.ts';

test('the generated Pylantir validator is up to date with pylantir-schema.ts (else: npm run generate)', () => {
  assert.equal(compiledSchemaDigest, schemaDigest(pylantirConfigSchema), 'run `npm run generate` (or `npm run build`)');
  assert.equal(readFileSync(generatedPylantirValidatorPath, 'utf8'), generatedValidatorSource(pylantirConfigSchema, PYLANTIR_AJV_OPTIONS));
});

test('the generated Pylantir validator gives the verdicts and errors ajv gives at run time', () => {
  const atRunTime = new Ajv(PYLANTIR_AJV_OPTIONS).compile(pylantirConfigSchema);
  const ahead = pylantirValidator();
  const source = { name: 'main', type: 'redcap', enabled: true, sync_interval: 60, config: { site: 'x', protocol: { x: 'BRAIN' } }, field_mapping: { study_id: 'study_id' } };
  const configs: unknown[] = [
    {},
    { db_path: 'worklist.db', data_sources: [source] },
    { db_path: 'worklist.db', data_sources: [{ ...source, name: 1 }] },
    { db_path: 'worklist.db', data_sources: [{ type: 'redcap' }] },
    { db_path: '', redcap2wl: { study_id: 'study_id' } },
    { db_path: 'worklist.db', data_sources: 'none' },
    'not an object',
  ];
  let refused = 0;
  for (const config of configs) {
    const verdict = ahead(config);
    assert.equal(verdict, atRunTime(config), JSON.stringify(config));
    assert.deepEqual(ahead.errors ?? null, atRunTime.errors ?? null, JSON.stringify(config));
    if (!verdict) refused++;
  }
  assert.ok(refused >= 3 && refused < configs.length, `the cases cover both verdicts (${refused} refused)`);
});

test('loading a Pylantir config loads no ajv compiler into the runner', () => {
  const script = [
    "import { createRequire } from 'node:module';",
    "const { loadPylantirConfig } = await import('./sync-runner/config/pylantir-config.ts');",
    "await loadPylantirConfig('examples/demo/pylantir-config.json', { cwd: process.cwd() });",
    "const loaded = Object.keys(createRequire(import.meta.url).cache).filter((p) => /node_modules\\/ajv\\//.test(p));",
    "console.log(JSON.stringify(loaded.map((p) => p.replace(/^.*node_modules\\//, ''))));",
  ].join('\n');
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  const loaded = JSON.parse(out.trim().split('\n').pop() ?? '[]') as string[];
  assert.ok(loaded.every((p) => p.startsWith('ajv/dist/runtime/')), loaded.join(', '));
});
