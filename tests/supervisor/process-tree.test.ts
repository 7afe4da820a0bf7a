import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseProcStat, processTree, treeOf } from '../../supervisor/process-tree.ts';

test('parseProcStat survives spaces and parentheses in the command name', () => {
  const stat = '4242 (my (odd) name) S 17 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10 18446744073709551615';
  assert.deepEqual(parseProcStat(stat), { state: 'S', ppid: 17, pgid: 4242, startTicks: 987654 });
  assert.equal(parseProcStat('garbage'), undefined);
});

test('treeOf follows parent links and adds re-parented members of the group', () => {
  const processes = [
    { pid: 1, ppid: 0, pgid: 1 },
    { pid: 10, ppid: 1, pgid: 10 },
    { pid: 11, ppid: 10, pgid: 10 },
    { pid: 12, ppid: 11, pgid: 12 }, // moved to its own group, still a descendant
    { pid: 13, ppid: 1, pgid: 10 }, // daemonised: re-parented to init, still in the group
    { pid: 20, ppid: 1, pgid: 20 },
  ];
  assert.deepEqual(treeOf(10, processes).sort((a, b) => a - b), [10, 11, 12, 13]);
  assert.deepEqual(treeOf(99, processes), []);
});

test('processTree finds this very process on the real system', async () => {
  assert.ok((await processTree(process.pid)).includes(process.pid));
});
