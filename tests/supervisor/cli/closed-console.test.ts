// `supervise … 2>&1 | tee log`, then Ctrl-C: tee dies first, and the supervisor's console is a pipe with no reader.
// EPIPE on the console must never stop the supervisor: it keeps running and logging to its file, and a stop signal
// still ends it cleanly (exit 0, the lock released). Before the fix: exit 70 "internal error" and a stale lock.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { runBin, writeFixtureConfig } from '../../helpers/spawn-bin.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

/** The file log's messages; polled because the console that would tell us is the thing under test. */
async function fileMessages(dataDir: string): Promise<string[]> {
  const text = await readFile(join(dataDir, 'logs', 'supervisor.jsonl'), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((line) => String((JSON.parse(line) as { message: unknown }).message));
}

/** Waits until the file log holds a message matching `done`; the deadline is the assertion. */
async function fileLogShows(dataDir: string, done: (messages: string[]) => boolean, deadlineMs: number): Promise<string[]> {
  const end = performance.now() + deadlineMs;
  for (;;) {
    const messages = await fileMessages(dataDir);
    if (done(messages) || performance.now() > end) return messages;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`console closed under a running supervisor: it keeps syncing, and ${signal} still stops it with exit 0 and no lock left`, async () => {
    const dir = await tempDir();
    const config = await writeFixtureConfig(dir, 'ok-runner.mjs', [], { schedule: { everyMs: 300 } });
    const dataDir = join(dir, 'data');
    const supervisor = runBin(['supervise', '--config', config], { cwd: dir });
    await supervisor.waitForLog(/run 1 \(attempt 1\) ok/);
    // The reader goes away, as tee does on Ctrl-C.
    supervisor.child.stdout?.destroy();
    supervisor.child.stderr?.destroy();

    // The next run's lines hit the closed pipe; the supervisor notes it in its file and syncs on.
    const okAfterClose = (messages: string[]): number => {
      const closed = messages.findIndex((m) => /console output closed \(EPIPE\)/.test(m));
      return closed < 0 ? 0 : messages.slice(closed + 1).filter((m) => /^run \d+ \(attempt 1\) ok/.test(m)).length;
    };
    const seen = await fileLogShows(dataDir, (messages) => okAfterClose(messages) >= 2, 20_000);
    assert.ok(okAfterClose(seen) >= 2, `two runs completed after the console closed:\n${seen.join('\n')}`);
    assert.equal(supervisor.child.exitCode, null, 'still running');

    supervisor.child.kill(signal);
    const { code } = await supervisor.exit;
    assert.equal(code, 0, (await fileMessages(dataDir)).join('\n'));
    assert.equal(existsSync(join(dataDir, 'supervisor.lock')), false, 'the lock is released');
    const messages = await fileMessages(dataDir);
    assert.ok(messages.some((m) => m.startsWith(`${signal} received: stopping`)));
    assert.equal(messages.at(-1), 'supervisor stopped');
  });
}
