import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../../shared/errors/app-error.ts';
import { retryDelayWithJitter, withRetries, type AttemptOutcome } from '../../../sync-runner/sources/retry.ts';

test('retryDelayWithJitter: after failed attempt 1 the wait is the base, doubling, jittered within [half, full], capped at 30 s', () => {
  assert.deepEqual([1, 2, 3, 4].map((n) => retryDelayWithJitter(n, 500, 1)), [500, 1000, 2000, 4000]);
  assert.deepEqual([1, 2, 3].map((n) => retryDelayWithJitter(n, 500, 0)), [250, 500, 1000]);
  assert.equal(retryDelayWithJitter(3, 500, 0.5), 1500);
  assert.equal(retryDelayWithJitter(20, 500, 1), 30_000);
});

const unreachable = new AppError('REDCAP_UNREACHABLE', 'no answer');

test('withRetries retries "retry" outcomes, stops on "fail", and reports the attempt count', async () => {
  const controller = new AbortController();
  const options = { maxAttempts: 3, baseDelayMs: 1, signal: controller.signal, random: () => 0 };
  let calls = 0;
  assert.equal(await withRetries(async (): Promise<AttemptOutcome<string>> => (++calls < 3 ? { kind: 'retry', error: unreachable } : { kind: 'ok', value: 'done' }), options), 'done');
  assert.equal(calls, 3);
  calls = 0;
  await assert.rejects(withRetries(async (): Promise<AttemptOutcome<string>> => (calls++, { kind: 'retry', error: unreachable }), options), /no answer \(gave up after 3 attempts\)/);
  calls = 0;
  await assert.rejects(withRetries(async (): Promise<AttemptOutcome<string>> => (calls++, { kind: 'fail', error: new AppError('REDCAP_HTTP_ERROR', '403') }), options), /403/);
  assert.equal(calls, 1, 'a 4xx is never retried');
});

test('withRetries: an abort during the wait ends it at once as RUNNER_INTERRUPTED', async () => {
  const controller = new AbortController();
  const pending = withRetries(async (): Promise<AttemptOutcome<string>> => ({ kind: 'retry', error: unreachable }), {
    maxAttempts: 5, baseDelayMs: 60_000, signal: controller.signal, onRetry: () => controller.abort(),
  });
  await assert.rejects(pending, (error: unknown) => error instanceof AppError && error.code === 'RUNNER_INTERRUPTED');
});
