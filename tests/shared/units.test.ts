import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BYTES_PER_MB, bytesToMb, mbToBytes } from '../../shared/units.ts';

test('an MB is a MiB; bytesToMb is unrounded unless asked, and mbToBytes is its inverse', () => {
  assert.equal(BYTES_PER_MB, 2 ** 20);
  assert.equal(bytesToMb(3 * 2 ** 19), 1.5);
  assert.equal(bytesToMb(412.34 * 2 ** 20, 1), 412.3);
  assert.equal(bytesToMb(412.36 * 2 ** 20, 1), 412.4);
  assert.equal(bytesToMb(2 ** 20 - 1, 0), 1);
  assert.equal(mbToBytes(500), 500 * 2 ** 20);
  assert.equal(bytesToMb(mbToBytes(750.5)), 750.5);
});

const root = fileURLToPath(new URL('../..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.generated.ts'))
    .map((e) => join(e.parentPath, e.name));
}

test('shared/units.ts is the one bytes-to-MB conversion: no other TypeScript file defines the factor or a toMb', () => {
  const own = /\bconst\s+MB\s*=|\bfunction\s+\w*[tT]oMb\b|\b\w*[tT]oMb\s*=\s*\(/;
  const offenders = ['shared', 'supervisor', 'sync-runner', 'bench', 'tests', 'scripts']
    .flatMap(sources)
    .filter((path) => !path.endsWith(join('shared', 'units.ts')) && own.test(readFileSync(path, 'utf8')))
    .map((path) => relative(root, path));
  assert.deepEqual(offenders, [], 'use BYTES_PER_MB / bytesToMb / mbToBytes from shared/units.ts');
});
