// The status server must not be open to the network without a token.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../../shared/errors/app-error.ts';
import { parseConfig } from '../../../supervisor/config/load-config.ts';
import { isLoopbackHost } from '../../../supervisor/config/status-exposure.ts';

test('isLoopbackHost: 127.0.0.0/8, ::1 in any spelling and localhost only; a status server there needs no token', () => {
  for (const host of ['127.0.0.1', '127.1.2.3', '127.255.255.254', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'localhost', 'LocalHost']) {
    assert.equal(isLoopbackHost(host), true, host);
    assert.equal(parseConfig({ status: { port: 0, host } }, { cwd: '/' }).status.host, host, 'a loopback status server needs no token');
  }
  for (const host of ['0.0.0.0', '::', '10.0.0.5', '128.0.0.1', '126.255.255.255', '::ffff:10.0.0.5', 'fe80::1', 'example.org', 'localhost.example.org', '127.0.0.1.nip.io']) {
    assert.equal(isLoopbackHost(host), false, host);
  }
});

function refusal(input: unknown): AppError {
  try {
    parseConfig(input, { cwd: '/srv', file: '/etc/sync/config.json' });
  } catch (error) {
    assert.ok(error instanceof AppError);
    return error;
  }
  assert.fail(`expected ${JSON.stringify(input)} to be refused`);
}

for (const host of ['0.0.0.0', '::', '192.168.1.20', 'mwl-server.example.org']) {
  test(`a status server on ${host} is refused without status.tokenEnv, naming both keys and the fix; with a token it is accepted`, () => {
    const error = refusal({ status: { port: 9464, host } });
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.equal(error.exitCode, 5);
    const problems = error.details.problems as string[];
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0] ?? '', new RegExp(`^status\\.host: expected a loopback address \\(127\\.0\\.0\\.1, ::1 or localhost\\) while status\\.tokenEnv is unset, received "${host.replace(/\./g, '\\.')}"`));
    assert.match(problems[0] ?? '', /without auth\. Set status\.tokenEnv to the name of an environment variable holding a bearer token, or set status\.host to "127\.0\.0\.1"$/);

    assert.equal(parseConfig({ status: { port: 9464, host, tokenEnv: 'SYNC_STATUS_TOKEN' } }, { cwd: '/' }).status.host, host);
    assert.equal(parseConfig({ status: { host } }, { cwd: '/' }).status.port, undefined, 'no port: the server is off, nothing is exposed');
  });
}
