import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { COMPLETE_EVERY, HostListing } from '../../../supervisor/process/host-listing.ts';
import { startTicksNow } from '../../../supervisor/process/process-identity.ts';

const linuxOnly = { skip: process.platform !== 'linux' && 'reads /proc' };
const pids = (list: readonly { pid: number }[]) => new Set(list.map((e) => e.pid));

async function startIdleChild() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await once(child, 'spawn');
  return {
    pid: child.pid as number,
    async stop() {
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
  };
}

test('HostListing: the first listing reads every process; later ones only the members and the pids new since', linuxOnly, async () => {
  const host = new HostListing();
  const first = await host.list(new Map(), false);
  assert.equal(first.complete, true);
  assert.ok(pids(first.processes).has(process.pid));

  const child = await startIdleChild();
  try {
    const second = await host.list(new Map(), false);
    assert.equal(second.complete, false);
    assert.ok(pids(second.processes).has(child.pid), 'a pid new since the last listing is read');
    assert.ok(!pids(second.processes).has(process.pid), 'a process outside the tree at the last listing is not read again');

    const members = new Map([[child.pid, startTicksNow(child.pid) ?? 0]]);
    const third = await host.list(members, false);
    assert.ok(pids(third.processes).has(child.pid), 'a member is read at every listing, though not new');
    assert.ok(!pids(third.processes).has(process.pid));

    const asked = await host.list(new Map(), true);
    assert.equal(asked.complete, true);
    assert.ok(pids(asked.processes).has(process.pid), 'a complete listing (before a kill) reads every process');
  } finally {
    await child.stop();
  }
});

test(`HostListing: every ${COMPLETE_EVERY}th listing reads every process again, so a reused pid is seen within a few seconds`, linuxOnly, async () => {
  const host = new HostListing();
  const completes: number[] = [];
  for (let i = 0; i < 2 * COMPLETE_EVERY + 1; i++) {
    const { complete, processes } = await host.list(new Map(), false);
    if (complete) {
      completes.push(i);
      assert.ok(pids(processes).has(process.pid));
    }
  }
  assert.deepEqual(completes, [0, COMPLETE_EVERY, 2 * COMPLETE_EVERY]);
});
