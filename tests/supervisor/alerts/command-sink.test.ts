// A command sink in-process, with real programs: the verdict comes from the exit, output is quoted from its start,
// and a program that cannot be started is a failed attempt with the reason, never a crash.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commandSink } from '../../../supervisor/alerts/sinks/command.ts';
import type { AlertPayload } from '../../../supervisor/alerts/payload.ts';

const payload: AlertPayload = {
  id: 'k/cmd', kind: 'memory-emergency', severity: 'critical', message: 'm', text: 't', action: null, runId: null, rssMb: null, value: null, runCommand: null,
  limits: null, host: 'h', raisedAt: new Date(0).toISOString(), raisedAtMs: 0, attempt: 1,
};
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
const sink = (command: string, args: string[]) => commandSink({ name: 'cmd', command, args, timeoutMs: 5000 }, env);

test('a non-zero exit fails the attempt and quotes the start of the output', async () => {
  const failing = sink('/bin/sh', ['-c', 'echo "relay said no"; exit 3']);
  await assert.rejects(failing.deliver(payload, new AbortController().signal), /^DeliveryError: command exited 3: relay said no$/);
});

test('a program that does not exist fails the attempt with ENOENT', async () => {
  const missing = sink('/nonexistent/page-oncall', []);
  await assert.rejects(missing.deliver(payload, new AbortController().signal), /command could not start: ENOENT/);
});

test('exit 0 is delivered with nothing to note', async () => {
  assert.deepEqual(await sink('/bin/sh', ['-c', 'echo paged']).deliver(payload, new AbortController().signal), {});
});
