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

test('redactText hides a secret in any letter case: REDCap may echo the token lowercased', () => {
  const token = 'C0FFEE1234567890ABCDEF1234567890';
  const echoed = `The API token "${token.toLowerCase()}" is not valid; retried with ${token} and ${token.slice(0, 16).toLowerCase()}${token.slice(16)}`;
  const out = redactText(echoed, [token]);
  assert.equal(out, 'The API token "[redacted]" is not valid; retried with [redacted] and [redacted]');
  assert.equal(redactText(`x ${token.toUpperCase()} y`, [token.toLowerCase()]), 'x [redacted] y', 'a secret read in lowercase hides its uppercase form too');
  assert.equal(redactText('a.b a+b', ['a.b']), '[redacted] a+b', 'a secret is matched literally, never as a pattern');
});

test('redactSecrets hides a secret in any letter case in nested strings, error messages, stacks and causes', () => {
  const token = 'C0FFEE1234567890ABCDEF1234567890';
  const lower = token.toLowerCase();
  const cause = new Error(`upstream said ${lower}`);
  const error = new Error(`REDCap refused: ${lower}`, { cause });
  const out = redactSecrets({ level: 'error', message: `token ${lower}`, meta: { list: [`x ${lower} y`] }, error }, [token]);
  assert.equal(out.message, 'token [redacted]');
  assert.deepEqual(out.meta.list, ['x [redacted] y']);
  assert.equal(out.error.message, 'REDCap refused: [redacted]');
  assert.ok(!(out.error.stack ?? '').toLowerCase().includes(lower), 'the stack repeats the message; it is redacted too');
  assert.equal((out.error.cause as Error).message, 'upstream said [redacted]', 'an error\'s cause is walked');
  assert.ok(!JSON.stringify(out).toLowerCase().includes(lower));
});

test("redactSecrets returns a copy: the caller's objects and errors are left as they were", () => {
  const MESSAGE = Symbol('message');
  const token = 'C0FFEE1234567890ABCDEF1234567890';
  const cause = new Error(`upstream said ${token}`);
  const error = new Error(`REDCap refused: ${token}`, { cause });
  const clean = { kept: 'no secret here' };
  const input = { message: `token ${token}`, meta: { list: [`x ${token} y`] }, error, clean, [MESSAGE]: `sym ${token}` };
  const before = JSON.stringify(input);
  const frozen = Object.freeze({ note: `frozen ${token}` });

  const out = redactSecrets({ ...input, frozen }, [token]);

  assert.equal(JSON.stringify(input), before, 'the input object tree is unchanged');
  assert.equal(error.message, `REDCap refused: ${token}`, "the caller's error keeps its message");
  assert.ok(error.stack?.includes(token), "the caller's error keeps its stack");
  assert.equal(cause.message, `upstream said ${token}`, "the caller's cause is untouched");
  assert.equal(frozen.note, `frozen ${token}`);

  assert.equal(out.message, 'token [redacted]');
  assert.deepEqual(out.meta.list, ['x [redacted] y']);
  assert.ok(out.error instanceof Error, 'a redacted error is still an Error of the same class');
  assert.notEqual(out.error, error);
  assert.equal(out.error.message, 'REDCap refused: [redacted]');
  assert.ok(!(out.error.stack ?? '').includes(token));
  assert.equal((out.error.cause as Error).message, 'upstream said [redacted]');
  assert.equal(out[MESSAGE], 'sym [redacted]', 'symbol keys (winston\'s formatted message) are redacted too');
  assert.equal(out.frozen.note, 'frozen [redacted]');
  assert.equal(out.clean, clean, 'a part with nothing to hide is shared, not copied');
});

test('a secret of 4 characters or more is hidden anywhere; a shorter one only where it stands alone', () => {
  assert.equal(redactText('535 bad login pw12 for mri-user', ['pw12', 'mri-user']), '535 bad login [redacted] for [redacted]');
  assert.equal(redactText('password ab rejected; about ab:cd', ['ab']), 'password [redacted] rejected; about [redacted]:cd', 'inside "about" stays');
  assert.equal(redactText('user alerts-admin, password alerts', ['alerts', 'alerts-admin']), 'user [redacted], password [redacted]', 'the longer secret is hidden whole');
});
