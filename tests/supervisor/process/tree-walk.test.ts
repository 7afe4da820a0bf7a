// A sample walks down the run's tree instead of listing the host: same members, each read once, a reused pid left
// out, and a full listing still due about once a second (and always where the kernel has no children files).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { childPids, childrenFilesAvailable } from '../../../supervisor/process/proc-children.ts';
import type { ProcessEntry } from '../../../supervisor/process/process-tree.ts';
import { FULL_SCAN_EVERY_MS, fullScanDue, RunTree } from '../../../supervisor/process/run-tree.ts';
import { walkTree, type TreeReaders } from '../../../supervisor/process/tree-walk.ts';

const p = (pid: number, ppid: number, pgid: number, startTicks = 100): ProcessEntry => ({ pid, ppid, pgid, startTicks });
const pids = (list: readonly { pid: number }[]) => list.map((e) => e.pid).sort((a, b) => a - b);

/** Readers over a fixed host, counting the stat reads. */
function host(processes: readonly ProcessEntry[]): TreeReaders & { reads: Map<number, number> } {
  const reads = new Map<number, number>();
  return {
    reads,
    entry: (pid) => {
      reads.set(pid, (reads.get(pid) ?? 0) + 1);
      return processes.find((e) => e.pid === pid);
    },
    childPids: (pid) => processes.filter((e) => e.ppid === pid).map((e) => e.pid),
  };
}

test('walkTree follows parent links from the root and from known members, reading each member once', () => {
  const processes = [p(1, 0, 1), p(10, 1, 10), p(11, 10, 10), p(12, 11, 12), p(13, 1, 13, 150), p(14, 13, 13), p(20, 1, 20)];
  const read = host(processes);
  // 13 escaped earlier (setsid, re-parented to init) and is remembered; 20 is a stranger.
  assert.deepEqual(pids(walkTree(10, new Map([[10, 100], [13, 150]]), read)), [10, 11, 12, 13, 14]);
  assert.ok([...read.reads.values()].every((n) => n === 1), JSON.stringify([...read.reads]));
  assert.equal(read.reads.has(20), false, 'a process outside the tree is never read');
});

test('walkTree leaves out a known pid now held by another process, and a reused root pid', () => {
  const processes = [p(1, 0, 1), p(10, 1, 10), p(14, 1, 14, 999)];
  assert.deepEqual(pids(walkTree(10, new Map([[10, 100], [14, 160]]), host(processes))), [10]);
  assert.deepEqual(walkTree(10, new Map([[10, 50]]), host(processes)), []);
  // A root never read before (its start time unknown) is taken as it is.
  assert.deepEqual(pids(walkTree(10, new Map(), host(processes))), [10]);
});

test('fullScanDue: the first sample, then once per period, and every sample without children files', () => {
  assert.equal(fullScanDue(5000, undefined, true), true);
  assert.equal(fullScanDue(5000 + FULL_SCAN_EVERY_MS - 1, 5000, true), false);
  assert.equal(fullScanDue(5000 + FULL_SCAN_EVERY_MS, 5000, true), true);
  assert.equal(fullScanDue(5001, 5000, false), true);
});

test('on this host: childPids lists a child, and RunTree finds a grandchild by walking after the first full scan', { skip: !childrenFilesAvailable }, async (t) => {
  // The root starts one grandchild-to-be and says READY with its pid.
  const code = "const c = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); c.on('spawn', () => console.log('READY ' + c.pid)); setInterval(() => {}, 1000);";
  const root = spawn(process.execPath, ['-e', code], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => {
    try {
      process.kill(-(root.pid ?? 0), 'SIGKILL');
    } catch {
      // already gone
    }
  });
  const [line] = (await once(root.stdout, 'data')) as [Buffer];
  const child = Number(/READY (\d+)/.exec(line.toString())?.[1]);
  assert.deepEqual(childPids(root.pid ?? 0), [child]);
  const tree = new RunTree(root.pid ?? 0, undefined);
  assert.deepEqual(pids(await tree.scan()), [root.pid, child].sort((a, b) => (a ?? 0) - (b ?? 0)));
  assert.deepEqual(pids(await tree.scan()), pids(await tree.fullScan()));
});
