import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstSignalTo } from '../../../bench/before-after/signal-trace.ts';

// strace -f output as it reads: the supervisor probes with kill(pid, 0), signals the group (-pid), then the rest.
const before = [
  '4100  kill(4222, 0)                     = 0',
  '4100  kill(4300, SIGTERM)               = 0',
  '4100  kill(-4222, SIGTERM)              = 0',
  '4222  --- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=4100, si_uid=0} ---',
  '4100  kill(-4222, SIGKILL)              = 0',
  '4222  +++ killed by SIGKILL +++',
].join('\n');

test('the first signal sent to the runner or its group, not a probe nor another pid', () => {
  assert.equal(firstSignalTo(before, 4222), 'SIGTERM');
  assert.equal(firstSignalTo('4100  kill(-4222, SIGKILL) = 0\n4100  kill(4222, SIGTERM) = -1 ESRCH', 4222), 'SIGKILL');
  assert.equal(firstSignalTo(before, 4999), undefined);
});
