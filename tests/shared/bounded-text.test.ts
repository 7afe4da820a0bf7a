import assert from 'node:assert/strict';
import { test } from 'node:test';
import { capText, MAX_TEXT_BYTES } from '../../shared/bounded-text.ts';
import { boundResult, MAX_WARNINGS_PER_SOURCE } from '../../supervisor/run/bound-result.ts';
import type { ResultMessage, SourceResult } from '../../shared/protocol.ts';

test('capText keeps short text, cuts long text on a character boundary within the cap, and says how much went', () => {
  assert.equal(capText('short'), 'short');
  const cut = capText('é'.repeat(5000), 100);
  assert.ok(Buffer.byteLength(cut) <= 100, cut);
  assert.match(cut, /^é+… \(\d+ bytes cut\)$/);
  const removed = Number(/\((\d+) bytes cut\)/.exec(cut)?.[1]);
  assert.equal(Buffer.byteLength(cut.split('…')[0] ?? '') + removed, 10_000);
});

test('boundResult keeps the known fields only, each string capped, warnings counted past the cap', () => {
  const huge = 'x'.repeat(1_000_000);
  const source = {
    name: 'main', status: 'failed', fetched: 1, mriRows: 1, inserted: 0, updated: 0, unchanged: 0, skipped: 0, durationMs: 5,
    warnings: Array.from({ length: 50 }, () => huge), reason: huge, error: { code: 'REDCAP_HTTP_ERROR', message: huge }, junk: huge,
  } as unknown as SourceResult;
  const bounded = boundResult({ type: 'result', durationMs: 9, sources: [source], extra: huge } as unknown as ResultMessage);
  const json = JSON.stringify(bounded);
  assert.ok(json.length < (MAX_WARNINGS_PER_SOURCE + 3) * MAX_TEXT_BYTES, `${json.length} characters`);
  assert.ok(!json.includes('junk') && !json.includes('extra'));
  const [kept] = bounded.sources;
  assert.equal(kept?.warnings.length, MAX_WARNINGS_PER_SOURCE + 1);
  assert.match(kept?.warnings.at(-1) ?? '', /30 more warning/);
  assert.equal(kept?.error?.code, 'REDCAP_HTTP_ERROR');
  assert.ok(Buffer.byteLength(kept?.error?.message ?? '') <= MAX_TEXT_BYTES);
});
