// The real built bin with three hostile command sinks: one that hangs (`sleep`), one that backgrounds a child and
// exits 0, one that prints 200 KB and exits 0. Each is judged by its exit within timeoutMs; the hanging one's group
// is killed at every timeout; the supervisor's fds do not grow across attempts; nothing they started outlives a stop.
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { Database } from '../../../shared/sqlite.ts';
import { fixture, MB } from '../../helpers/harness.ts';
import { openFdCount, peakRssBytes, pidsWithArg } from '../../helpers/proc-status.ts';
import { spawnSupervisor } from '../../helpers/spawn-supervisor.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

/** Waits until no live process carries `word`, or the deadline passes; they are not our children, so we poll. */
async function orphansAfter(word: string, deadlineMs: number): Promise<number[]> {
  const end = performance.now() + deadlineMs;
  for (;;) {
    const left = await pidsWithArg(word);
    if (left.length === 0 || performance.now() >= end) return left;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('hanging, forking and chatty command sinks: judged by exit, group killed on timeout, fds flat, no orphans after stop', { timeout: 90_000 }, async () => {
  // A sleep length no other process on the machine has: it marks what the sinks started.
  const marker = `1001.${randomInt(100_000, 999_999)}`;
  const dir = await tempDir();
  const configPath = join(dir, 'supervisor.json');
  const sink = (name: string, script: string, extra: Record<string, unknown> = {}) => ({ name, command: '/bin/sh', args: ['-c', script], kinds: ['supervisor-start'], ...extra });
  await writeFile(configPath, JSON.stringify({
    schedule: { everyMs: 3_600_000 },
    runOnStart: false,
    runner: { command: process.execPath, args: [fixture('ok-runner.mjs')] },
    dataDir: join(dir, 'data'),
    alerts: {
      commands: [
        sink('hang', `sleep ${marker}`, { timeoutMs: 1000 }),
        sink('fork', `sleep ${marker} & echo paged`),
        sink('chatty', `head -c 200000 /dev/zero | tr '\\000' x`),
      ],
      timeoutMs: 1500,
      retry: { backoffMs: 1000, backoffMaxMs: 1000 },
    },
  }));
  const supervisor = spawnSupervisor(['--config', configPath, '--log-level', 'debug'], { cwd: dir, built: true });
  const pid = supervisor.child.pid ?? 0;

  await supervisor.waitFor(/sink hang, attempt 1:/);
  const fdsAfterFirst = await openFdCount(pid);
  await supervisor.waitFor(/sink hang, attempt 5:/);
  const fdsAfterFifth = await openFdCount(pid);
  const peak = await peakRssBytes(pid);
  supervisor.child.kill('SIGTERM');
  const { code } = await supervisor.exited();
  assert.equal(code, 0, supervisor.output());
  const orphans = await orphansAfter(marker, 2000);

  assert.deepEqual(orphans, [], `processes the sinks started outlived the supervisor: ${orphans.join(', ')}`);
  assert.ok(fdsAfterFifth <= fdsAfterFirst + 2, `supervisor fds ${fdsAfterFirst} after attempt 1, ${fdsAfterFifth} after attempt 5`);
  assert.ok(peak < 150 * MB, `supervisor peak RSS ${(peak / MB).toFixed(1)} MB`);

  const db = await Database.open(join(dir, 'data', 'history.db'), { readonly: true });
  const rows = await db.all<{ sink: string; state: string; attempts: number; last_error: string | null }>('SELECT sink, state, attempts, last_error FROM alert_deliveries');
  await db.close();
  const bySink = new Map(rows.map((r) => [r.sink, r]));
  const hang = bySink.get('hang');
  assert.equal(hang?.state, 'pending');
  assert.ok((hang?.attempts ?? 0) >= 5);
  assert.match(hang?.last_error ?? '', /^command did not exit within 1000 ms; its process group was stopped \(SIGTERM, then SIGKILL after 2 s\)/);
  // Exit 0 is delivered at the first attempt, whatever the command left running or printed.
  assert.deepEqual([bySink.get('fork')?.state, bySink.get('fork')?.attempts, bySink.get('fork')?.last_error], ['delivered', 1, null]);
  assert.deepEqual([bySink.get('chatty')?.state, bySink.get('chatty')?.attempts], ['delivered', 1]);
  assert.match(bySink.get('chatty')?.last_error ?? '', /^delivered; the command's output passed 4 KiB; the first 4 KiB were kept/);
  assert.equal(supervisor.output().split("alert sink chatty: the command's output passed 4 KiB").length - 1, 1, 'the cap is logged once');
});
