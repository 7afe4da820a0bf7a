import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../shared/errors/app-error.ts';
import { isLoopbackHost, printableUrl, readCredentials } from '../../sync-runner/credentials.ts';

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

const refusal = (error: unknown) => error instanceof AppError && error.code === 'CREDENTIALS_INVALID' && /plain http:\/\/ .*the API token would cross the network in clear text.*REDCAP_ALLOW_HTTP=1/.test(error.message);

test('plain http:// is refused for a host that is not loopback (the token would cross the network in clear), allowed quietly on loopback', () => {
  for (const url of ['http://redcap.example.org/api/', 'http://10.1.2.3/api/', 'http://0.0.0.0:8080/api/', 'http://[2001:db8::1]/api/', 'http://localhost.example.org/api/']) {
    assert.throws(() => readCredentials({ REDCAP_API_URL: url, REDCAP_API_TOKEN: TOKEN }), refusal, url);
    for (const notOne of ['0', 'true', 'yes', '']) assert.throws(() => readCredentials({ REDCAP_API_URL: url, REDCAP_API_TOKEN: TOKEN, REDCAP_ALLOW_HTTP: notOne }), refusal, `${url} with REDCAP_ALLOW_HTTP=${notOne}`);
  }
  for (const url of ['http://127.0.0.1:8080/api/', 'http://127.9.8.7/api/', 'http://localhost/api/', 'http://LOCALHOST:80/api/', 'http://[::1]:8080/api/']) {
    assert.deepEqual(readCredentials({ REDCAP_API_URL: url, REDCAP_API_TOKEN: TOKEN }), { url, token: TOKEN }, `${url}: allowed, no warning`);
  }
  assert.deepEqual(readCredentials({ REDCAP_API_URL: 'https://redcap.example.org/api/', REDCAP_API_TOKEN: TOKEN }).warnings, undefined, 'https needs no warning');
});

test('REDCAP_ALLOW_HTTP=1 lets a plain http:// URL through with a loud warning that names the host and never the token', () => {
  const credentials = readCredentials({ REDCAP_API_URL: 'http://redcap.example.org:8080/api/', REDCAP_API_TOKEN: TOKEN, REDCAP_ALLOW_HTTP: '1' });
  assert.equal(credentials.url, 'http://redcap.example.org:8080/api/');
  assert.equal(credentials.warnings?.length, 1);
  assert.match(credentials.warnings?.[0] ?? '', /^INSECURE: REDCAP_ALLOW_HTTP=1 sends the REDCap API token in clear text over http:\/\/ to redcap\.example\.org:8080/);
  assert.ok(!(credentials.warnings?.[0] ?? '').toLowerCase().includes(TOKEN.toLowerCase()));
});

test('a REDCAP_API_URL ending in /api gets its trailing slash; other URLs keep their exact text', () => {
  assert.equal(readCredentials({ REDCAP_API_URL: 'https://redcap.example.org/api', REDCAP_API_TOKEN: TOKEN }).url, 'https://redcap.example.org/api/');
  assert.equal(readCredentials({ REDCAP_API_URL: 'https://redcap.example.org/redcap/api ', REDCAP_API_TOKEN: TOKEN }).url, 'https://redcap.example.org/redcap/api/');
  assert.equal(readCredentials({ REDCAP_API_URL: 'http://127.0.0.1:9999/api', REDCAP_API_TOKEN: TOKEN }).url, 'http://127.0.0.1:9999/api/');
  assert.equal(readCredentials({ REDCAP_API_URL: 'https://R.example/api/', REDCAP_API_TOKEN: TOKEN }).url, 'https://R.example/api/', 'unchanged text: the URL is in the watermark fingerprint');
  assert.throws(() => readCredentials({ REDCAP_API_URL: 'https://redcap.example.org/apis', REDCAP_API_TOKEN: TOKEN }), /must end in \/api\//);
});

test('isLoopbackHost: localhost, 127.0.0.0/8 and ::1 only', () => {
  for (const host of ['localhost', 'localhost.', '127.0.0.1', '127.255.0.9', '[::1]', '::1']) assert.equal(isLoopbackHost(host), true, host);
  for (const host of ['0.0.0.0', '128.0.0.1', '10.0.0.1', '[::2]', 'localhost.example.org', 'mylocalhost', '127.example.org']) assert.equal(isLoopbackHost(host), false, host);
});
