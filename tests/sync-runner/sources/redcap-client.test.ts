// The client against real local servers: a stand-in REDCap that redirects, and the server the redirect points to.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AppError } from '../../../shared/errors/app-error.ts';
import { createRedcapClient } from '../../../sync-runner/sources/redcap-client.ts';
import { printableLocation } from '../../../sync-runner/sources/redirect.ts';
import { startRecordingServer, type RecordingServer } from '../../fixtures/recording-server.ts';
import { startRedcapServer, type RedcapStandIn } from '../../fixtures/redcap-server.ts';
import { TEST_TOKEN } from '../../helpers/runner-workspace.ts';

let redcap: RedcapStandIn;
let elsewhere: RecordingServer;
before(async () => {
  redcap = await startRedcapServer({ token: TEST_TOKEN });
  elsewhere = await startRecordingServer();
});
after(async () => {
  await redcap.close();
  await elsewhere.close();
});

const client = () =>
  createRedcapClient({ credentials: { url: redcap.url, token: TEST_TOKEN }, timeoutMs: 5_000, maxAttempts: 3, retryDelayMs: 1, signal: new AbortController().signal });

test('a redirect is never followed: REDCAP_REDIRECTED at once (no retry), naming the Location without user:password', async () => {
  const targets = [
    { location: `http://ops:s3cret@${elsewhere.origin.slice('http://'.length)}/redcap/api/?x=1`, shown: `${elsewhere.origin}/redcap/api/?x=1` },
    { location: '/new/api/', shown: `${new URL(redcap.url).origin}/new/api/` },
  ];
  for (const status of [301, 302, 303, 307, 308]) {
    for (const { location, shown } of targets) {
      redcap.fail({ mode: 'redirect', redirect: { status, location } });
      redcap.requests.length = 0;
      await assert.rejects(client().exportText([['content', 'version']], 'content=version'), (error: unknown) => {
        assert.ok(error instanceof AppError);
        assert.equal(error.code, 'REDCAP_REDIRECTED');
        assert.equal(error.exitCode, 50);
        assert.ok(error.message.includes(`with HTTP ${status}, a redirect to ${shown};`), error.message);
        assert.match(error.message, /set REDCAP_API_URL to it/);
        assert.ok(!error.message.includes('s3cret') && !error.message.includes('ops:'), 'no userinfo in the message');
        return true;
      });
      assert.equal(redcap.requests.length, 1, `HTTP ${status}: one request, no retry`);
    }
  }
  redcap.fail(undefined);
  assert.equal(elsewhere.connections(), 0, 'nothing ever reached the redirect target');
  assert.equal(elsewhere.received(), '');
});

test('printableLocation: resolved, stripped of user:password and control characters, capped', () => {
  assert.equal(printableLocation('https://u:p@r.example/api/', 'https://a.example/api/'), 'https://r.example/api/');
  assert.equal(printableLocation('../x/', 'https://a.example/redcap/api/'), 'https://a.example/redcap/x/');
  assert.equal(printableLocation('https://r.example/\u0007api/\n', 'https://a.example/api/'), 'https://r.example/%07api/');
  assert.match(printableLocation(`https://r.example/${'a'.repeat(5000)}`, 'https://a.example/api/'), /^https:\/\/r\.example\/a+…$/);
  assert.equal(printableLocation(`https://r.example/${'a'.repeat(5000)}`, 'https://a.example/api/').length, 301);
  assert.equal(printableLocation('http://[bad', 'https://a.example/api/'), 'an unreadable Location header (11 characters)');
});
