import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeAnswer, type HttpAnswer } from '../../../sync-runner/sources/redcap-answer.ts';

const answer = (status: number, contentType: string, body: string): HttpAnswer => ({ status, contentType, body });
const JSON_TYPE = 'application/json';

test('judgeAnswer: each failure gets its kind, code and a message that says what came back', () => {
  const html = `<!DOCTYPE html><html><body>${'x'.repeat(400)}</body></html>`;
  const cases: [HttpAnswer, 'ok' | 'retry' | 'fail', string | undefined, RegExp | undefined][] = [
    [answer(200, JSON_TYPE, '[{"a":"1"}]'), 'ok', undefined, undefined],
    [answer(403, JSON_TYPE, '{"error":"You do not have permissions to use the API"}'), 'fail', 'REDCAP_HTTP_ERROR', /HTTP 403: You do not have permissions/],
    [answer(400, JSON_TYPE, '{"error":"The following values in the parameter \\"fields\\" are not valid: \'x\'"}'), 'fail', 'REDCAP_HTTP_ERROR', /HTTP 400: The following values/],
    [answer(400, 'text/csv', 'ERROR: bad request'), 'fail', 'REDCAP_HTTP_ERROR', /ERROR: bad request/],
    [answer(500, 'text/html', html), 'retry', 'REDCAP_SERVER_ERROR', /HTTP 500: text\/html body: <!DOCTYPE html>/],
    [answer(429, JSON_TYPE, '{"error":"slow down"}'), 'retry', 'REDCAP_SERVER_ERROR', /HTTP 429/],
    [answer(200, 'text/html', html), 'fail', 'REDCAP_BAD_RESPONSE', /text\/html \(HTTP 200\), not JSON: <!DOCTYPE html><html><body>x+$/],
    [answer(200, JSON_TYPE, '[{"study_id":"SECRET-1","a":'), 'fail', 'REDCAP_BAD_RESPONSE', /truncated JSON \(it stops after 28 characters\)/],
    [answer(200, JSON_TYPE, '{"count":3}'), 'fail', 'REDCAP_BAD_RESPONSE', /an object with keys count, not the expected JSON array/],
    [answer(200, JSON_TYPE, '{"error":"odd"}'), 'fail', 'REDCAP_HTTP_ERROR', /odd/],
  ];
  for (const [input, kind, code, pattern] of cases) {
    const verdict = judgeAnswer(input, 'content=record', 'array');
    assert.equal(verdict.kind, kind, input.body.slice(0, 40));
    if (verdict.kind === 'ok') continue;
    assert.equal(verdict.error.code, code);
    assert.match(verdict.error.message, pattern ?? /./);
    assert.ok(!verdict.error.message.includes('SECRET-1'), 'record contents are never quoted');
  }
  const htmlVerdict = judgeAnswer(answer(200, 'text/html', html), 'x', 'array');
  assert.ok(htmlVerdict.kind === 'fail' && htmlVerdict.error.message.endsWith('x'.repeat(200 - '<!DOCTYPE html><html><body>'.length)), 'quotes exactly the first 200 characters');
});

test('judgeAnswer: text answers pass through', () => {
  assert.deepEqual(judgeAnswer(answer(200, 'text/html', '14.5.3'), 'content=version', 'text'), { kind: 'ok', value: '14.5.3' });
});
