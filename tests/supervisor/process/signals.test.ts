import assert from 'node:assert/strict';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { isAlive } from '../../../supervisor/process/process-identity.ts';
import { fixture, readHistory } from '../../helpers/harness.ts';
import { spawnSupervisor } from '../../helpers/spawn-supervisor.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const INSPECTOR_PORT = 9229;

async function hangingSupervisor(t: TestContext) {
  const dir = await tempDir();
  const config = join(dir, 'config.json');
  await writeFile(config, JSON.stringify({ runner: { command: process.execPath, args: [fixture('hang.mjs')] }, schedule: { everyMs: 600000 }, dataDir: 'data' }));
  const sup = spawnSupervisor(['--config', config], { cwd: dir });
  const runner = Number((await sup.waitFor(/READY pid=(\d+)/))[1]);
  // A failed assertion must not leave either behind (a supervisor that died at once leaves its runner running).
  t.after(() => {
    for (const pid of [sup.child.pid ?? 0, runner]) if (pid > 0 && isAlive(pid)) process.kill(pid, 'SIGKILL');
  });
  // The run's pid is in its row once this line is out: a signal from now on finds a run to close.
  await sup.waitFor(/run 1 started \(attempt 1\), pid \d+/);
  return { dir, sup, runner };
}

for (const signal of ['SIGHUP', 'SIGUSR2'] as const) {
  test(`${signal} stops the supervisor as SIGTERM does: a log line, the runner stopped, its row closed, exit 0`, async (t) => {
    const { dir, sup, runner } = await hangingSupervisor(t);
    sup.child.kill(signal);
    const { code, signal: killedBy } = await sup.exited();
    assert.deepEqual([code, killedBy], [0, null], sup.output());
    assert.match(sup.output(), new RegExp(`${signal} received: stopping`));
    assert.match(sup.output(), /supervisor stopped/);
    assert.equal(isAlive(runner), false, 'no orphan: the runner is gone');
    const { runs } = await readHistory(join(dir, 'data'));
    assert.deepEqual([runs[0]?.status, runs[0]?.reason], ['interrupted', 'shutdown']);
  });
}

/** Ports on which `pid` holds a listening TCP socket, from /proc (Linux). */
function listeningPorts(pid: number): number[] {
  const inodes = new Set(readdirSync(`/proc/${pid}/fd`).map((fd) => {
    try {
      return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
    } catch {
      return undefined;
    }
  }).filter((inode) => inode !== undefined));
  const ports: number[] = [];
  for (const table of ['tcp', 'tcp6']) {
    for (const line of readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is HEXIP:HEXPORT, st 0A is LISTEN, the inode is the tenth column.
      if (cols[3] === '0A' && inodes.has(cols[9] ?? '')) ports.push(Number.parseInt(cols[1]?.split(':')[1] ?? '', 16));
    }
  }
  return ports;
}

function connectable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

test('SIGUSR1 never opens the Node inspector: a log line, nothing listens on 127.0.0.1:9229, the supervisor keeps running', async (t) => {
  const { dir, sup, runner } = await hangingSupervisor(t);
  const supervisorPid = sup.child.pid ?? 0;
  sup.child.kill('SIGUSR1');
  // Either our line, or Node's own when it opens the inspector (what this test must never see).
  await sup.waitFor(/SIGUSR1 received|Debugger listening/);
  assert.doesNotMatch(sup.output(), /Debugger listening/);
  assert.deepEqual(listeningPorts(supervisorPid).filter((port) => port === INSPECTOR_PORT), [], 'no inspector socket in the supervisor');
  assert.equal(await connectable(INSPECTOR_PORT), false, 'nothing answers on 127.0.0.1:9229');
  assert.equal(isAlive(supervisorPid), true, 'the supervisor is still running');
  assert.equal(isAlive(runner), true, 'and so is its run');
  sup.child.kill('SIGTERM');
  assert.equal((await sup.exited()).code, 0, sup.output());
  const { runs } = await readHistory(join(dir, 'data'));
  assert.deepEqual([runs[0]?.status, runs[0]?.reason], ['interrupted', 'shutdown']);
});
