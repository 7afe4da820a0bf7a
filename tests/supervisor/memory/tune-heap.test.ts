import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BYTES_PER_MB as MB } from '../../../shared/units.ts';

const tuneHeap = fileURLToPath(new URL('../../../dist/supervisor/memory/tune-heap.js', import.meta.url));

/** The young generation's size after a burst of short-lived garbage, in a fresh node with or without the tuning. */
async function youngGenerationAfterChurn(tuned: boolean): Promise<number> {
  const script = `${tuned ? `await import(${JSON.stringify(tuneHeap)});` : ''}
    const { getHeapSpaceStatistics } = await import('node:v8');
    let keep = [];
    for (let i = 0; i < 3e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 2000) keep = []; }
    process.stdout.write(String(getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
  return Number(stdout);
}

test('the bin keeps the young generation at its initial size, where V8 alone grows it', async () => {
  const [untuned, tuned] = await Promise.all([youngGenerationAfterChurn(false), youngGenerationAfterChurn(true)]);
  assert.ok(untuned > 8 * MB, `without the flag V8 grows it (${untuned} bytes), so this test can tell the difference`);
  assert.ok(tuned <= 4 * MB, `with the flag it stays small: ${tuned} bytes`);
});
