import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listProcesses, parseProcStat, treeMembers } from '../../../supervisor/process/process-tree.ts';
import { startTicksNow } from '../../../supervisor/process/process-identity.ts';

test('parseProcStat survives spaces and parentheses in the command name', () => {
  const stat = '4242 (my (odd) name) S 17 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10 18446744073709551615';
  assert.deepEqual(parseProcStat(stat), { state: 'S', ppid: 17, pgid: 4242, startTicks: 987654 });
  assert.equal(parseProcStat('garbage'), undefined);
});

test('parseProcStat refuses a line without a whole start time: a NaN remembered for the root would match nothing', () => {
  assert.equal(parseProcStat('4242 (node) S 17 4242 4242 0 -1 4194560'), undefined, 'cut before field 22');
  assert.equal(parseProcStat('4242 (node) S 17 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 98x 1000'), undefined);
});

const p = (pid: number, ppid: number, pgid: number, startTicks = 100) => ({ pid, ppid, pgid, startTicks });
const pids = (list: readonly { pid: number }[]) => list.map((e) => e.pid).sort((a, b) => a - b);

test('treeMembers follows parent links and adds re-parented members of the group', () => {
  const processes = [
    p(1, 0, 1),
    p(10, 1, 10),
    p(11, 10, 10),
    p(12, 11, 12), // moved to its own group, still a descendant
    p(13, 1, 10), // daemonised: re-parented to init, still in the group
    p(20, 1, 20),
  ];
  assert.deepEqual(pids(treeMembers(10, new Map(), processes)), [10, 11, 12, 13]);
  assert.deepEqual(treeMembers(99, new Map(), processes), []);
});

test('treeMembers keeps a member seen before after setsid and re-parenting, with its descendants, but not a reused pid', () => {
  const known = new Map([[10, 100], [12, 150], [14, 160]]);
  const processes = [
    p(1, 0, 1),
    p(10, 1, 10),
    p(12, 1, 12, 150), // setsid helper, its parent gone: re-parented to init, in a group of its own
    p(30, 12, 12, 170), // and a child it started since
    p(14, 1, 14, 999), // pid 14 was a member once, but this is another process that reuses the pid
    p(20, 1, 20),
  ];
  assert.deepEqual(pids(treeMembers(10, known, processes)), [10, 12, 30]);
});

test('treeMembers does not take a process that reuses the root pid for the root', () => {
  const processes = [p(1, 0, 1), p(10, 1, 40, 500), p(11, 10, 40, 501)];
  assert.deepEqual(treeMembers(10, new Map([[10, 100]]), processes), []);
});

test('listProcesses sees this very process with its start time', async () => {
  const me = (await listProcesses()).find((e) => e.pid === process.pid);
  assert.ok(me);
  assert.equal(me.ppid, process.ppid);
  if (process.platform === 'linux') assert.equal(me.startTicks, startTicksNow(process.pid));
});
