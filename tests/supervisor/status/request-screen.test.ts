import assert from 'node:assert/strict';
import { test } from 'node:test';
import { screenRequest, type Route } from '../../../supervisor/status/request-handler.ts';
import { textReply } from '../../../supervisor/status/respond.ts';
import { requestAuthorized } from '../../../supervisor/status/status-token.ts';

const routes: Route[] = [
  { path: '/', queryToken: true, handle: () => textReply(200, 'page') },
  { path: '/data', handle: () => textReply(200, 'data') },
];
const screen = (method: string, url: string, authorization?: string, token?: string) =>
  screenRequest({ method, url, authorization }, { routes, token });
const statusOf = (result: ReturnType<typeof screen>): number => ('reject' in result ? result.reject.status : 200);

test('routing order: bad target 400, unknown path 404, method 405, auth 401, then the route', () => {
  assert.equal(statusOf(screen('GET', '//')), 400);
  assert.equal(statusOf(screen('POST', '/nope')), 404);
  assert.equal(statusOf(screen('POST', '/data')), 405);
  assert.equal(statusOf(screen('GET', '/data', undefined, 'secret')), 401);
  assert.equal(statusOf(screen('HEAD', '/data', 'Bearer secret', 'secret')), 200);
  const passed = screen('GET', '/data?x=1');
  assert.ok('route' in passed && passed.route.path === '/data' && passed.url.searchParams.get('x') === '1');
});

test('?token= is honoured only where the route allows it', () => {
  assert.equal(statusOf(screen('GET', '/?token=secret', undefined, 'secret')), 200);
  assert.equal(statusOf(screen('GET', '/data?token=secret', undefined, 'secret')), 401);
});

test('bearer matching is exact and case-insensitive only in the scheme word', () => {
  assert.equal(requestAuthorized(undefined, undefined, null), true);
  assert.equal(requestAuthorized('secret', 'bearer secret', null), true);
  assert.equal(requestAuthorized('secret', 'Bearer  secret ', null), true);
  assert.equal(requestAuthorized('secret', 'Bearer Secret', null), false);
  assert.equal(requestAuthorized('secret', 'Bearer secret2', null), false);
  assert.equal(requestAuthorized('secret', 'Bearer', null), false);
  assert.equal(requestAuthorized('secret', 'Basic c2VjcmV0', null), false);
  assert.equal(requestAuthorized('secret', undefined, ''), false);
});
