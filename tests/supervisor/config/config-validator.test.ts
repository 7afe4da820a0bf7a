// The config validator is compiled ahead of time (ajv standalone, `npm run build`), so the supervisor never loads
// ajv. These tests keep that copy honest: built from today's schema, and judging configs exactly as ajv would.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import { generatedValidatorPath, generatedValidatorSource } from '../../../scripts/generate-config-validator.ts';
import { configValidator } from '../../../supervisor/config/config-validator.ts';
import { compiledSchemaDigest } from '../../../supervisor/config/config-validator.generated.ts';
import { configSchema } from '../../../supervisor/config/schema.ts';
import { AJV_OPTIONS, schemaDigest } from '../../../supervisor/config/validator-options.ts';

test('the generated validator is up to date with schema.ts (else: npm run generate)', () => {
  assert.equal(compiledSchemaDigest, schemaDigest(configSchema), 'run `npm run generate` (or `npm run build`)');
  assert.equal(readFileSync(generatedValidatorPath, 'utf8'), generatedValidatorSource(configSchema));
});

test('the generated validator gives the verdicts and errors ajv gives at run time', () => {
  const atRunTime = new Ajv(AJV_OPTIONS).compile(configSchema);
  const ahead = configValidator();
  const configs: unknown[] = [
    {},
    { schedule: '*/5 * * * *', memory: { warnMb: 100, emergencyMb: 200 } },
    { schedule: { everyMs: 10 } },
    { memory: { emergncyMb: 500 } },
    { runner: { args: [1, 2] } },
    { log: { level: 'loud' }, status: { tokenEnv: '1bad' }, extra: true },
    'not an object',
  ];
  for (const config of configs) {
    assert.equal(ahead(config), atRunTime(config), JSON.stringify(config));
    assert.deepEqual(ahead.errors ?? null, atRunTime.errors ?? null, JSON.stringify(config));
  }
});

test('validating a config loads no ajv compiler into the supervisor', () => {
  const script = [
    "import { createRequire } from 'node:module';",
    "const { loadConfig } = await import('./supervisor/config/load-config.ts');",
    "loadConfig(undefined, process.cwd());",
    "const loaded = Object.keys(createRequire(import.meta.url).cache).filter((p) => /node_modules\\/ajv\\//.test(p));",
    "console.log(JSON.stringify(loaded.map((p) => p.replace(/^.*node_modules\\//, ''))));",
  ].join('\n');
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  // Only the few lines of runtime the generated code needs (ucs2length, equal), never ajv's compiler.
  const loaded = JSON.parse(out.trim().split('\n').pop() ?? '[]') as string[];
  assert.ok(loaded.length > 0 && loaded.every((p) => p.startsWith('ajv/dist/runtime/')), loaded.join(', '));
});
