import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../shared/errors/app-error.ts';
import { printableUrl, readCredentials } from '../../sync-runner/credentials.ts';

const TOKEN = 'ABCDEF0123456789ABCDEF0123456789';

test('readCredentials accepts a /api/ URL and a 32-hex token', () => {
  assert.deepEqual(readCredentials({ REDCAP_API_URL: 'https://redcap.example.org/api/', REDCAP_API_TOKEN: TOKEN }), { url: 'https://redcap.example.org/api/', token: TOKEN });
});

test('readCredentials errors name the variable and never print the token', () => {
  const bad = 'ZZZZ0123456789ABCDEF0123456789ZZ';
  const cases: [Record<string, string>, RegExp][] = [
    [{}, /REDCAP_API_URL is not set/],
    [{ REDCAP_API_URL: 'https://redcap.example.org/', REDCAP_API_TOKEN: TOKEN }, /must end in \/api\//],
    [{ REDCAP_API_URL: 'ftp://x/api/', REDCAP_API_TOKEN: TOKEN }, /http\(s\)/],
    [{ REDCAP_API_URL: 'not a url', REDCAP_API_TOKEN: TOKEN }, /not a URL/],
    [{ REDCAP_API_URL: 'https://r.example/api/' }, /REDCAP_API_TOKEN is not set/],
    [{ REDCAP_API_URL: 'https://r.example/api/', REDCAP_API_TOKEN: bad }, /32 hexadecimal characters; received 32 characters, 6 of them not hexadecimal/],
    [{ REDCAP_API_URL: 'https://r.example/api/', REDCAP_API_TOKEN: TOKEN.slice(1) }, /received 31 characters/],
  ];
  for (const [env, pattern] of cases) {
    assert.throws(() => readCredentials(env), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'CREDENTIALS_INVALID');
      assert.match(error.message, pattern);
      for (const secret of [TOKEN, bad, TOKEN.slice(1)]) assert.ok(!error.message.includes(secret));
      return true;
    });
  }
});

test('printableUrl strips user:password', () => {
  assert.equal(printableUrl('https://u:p@r.example/api/'), 'https://r.example/api/');
});
