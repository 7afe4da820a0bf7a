import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactSecrets, redactText } from '../../shared/redact.ts';

test('redactText hides literal secrets and token form fields', () => {
  const token = '0123456789ABCDEF0123456789ABCDEF';
  assert.equal(redactText(`failed with ${token} inside`, [token]), 'failed with [redacted] inside');
  assert.equal(redactText('body token=abc&content=record', []), 'body token=[redacted]&content=record');
  assert.equal(redactText(`crash near ${token}`, [` ${token}\n`]), 'crash near [redacted]', 'a secret read with stray whitespace still matches');
});

test('redactSecrets walks nested objects and errors', () => {
  const error = new Error('bad SECRET');
  const out = redactSecrets({ a: { b: ['x SECRET y'] }, error }, ['SECRET']);
  assert.deepEqual(out.a.b, ['x [redacted] y']);
  assert.equal(out.error.message, 'bad [redacted]');
});
