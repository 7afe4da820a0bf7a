// PM2 for the peers bench: installed into a scratch folder on first use, driven through its own CLI, with
// PM2_HOME in a temp dir so nothing touches ~/.pm2. One daemon per variant (its worker interval is read at start).
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where PM2 is installed; kept between bench runs so only the first one downloads it. */
export const PM2_SCRATCH = process.env.PM2_SCRATCH ?? join(tmpdir(), 'sync-supervisor-pm2');

/** Installs pm2@latest into the scratch folder unless it is there already; returns its CLI path and version. */
export async function ensurePm2(): Promise<{ bin: string; version: string }> {
  const bin = join(PM2_SCRATCH, 'node_modules', 'pm2', 'bin', 'pm2');
  if (!existsSync(bin)) {
    console.log(`peers: installing pm2@latest into ${PM2_SCRATCH}`);
    await run('npm', ['install', '--prefix', PM2_SCRATCH, 'pm2@latest', '--no-audit', '--no-fund'], { timeout: 300_000 });
  }
  const { version } = JSON.parse(readFileSync(join(PM2_SCRATCH, 'node_modules', 'pm2', 'package.json'), 'utf8')) as { version: string };
  return { bin, version };
}

interface JlistEntry { name: string; pid: number; pm2_env?: { status?: string; restart_time?: number } }

export interface Pm2Daemon {
  readonly home: string;
  /** `pm2 <args>` against this daemon. */
  cli(...args: string[]): Promise<string>;
  /** The God daemon's pid (PM2_HOME/pm2.pid). */
  godPid(): number;
  /** Pid of the app `name` once it is online; a bounded poll, since the process is PM2's, not ours. */
  appPid(name: string, deadlineMs?: number): Promise<number>;
  /** `pm2 kill`, then removes PM2_HOME. */
  kill(): Promise<void>;
}

/** Starts a fresh PM2 daemon; `workerIntervalMs` sets PM2_WORKER_INTERVAL (PM2's default is 30 000). */
export async function startPm2(bin: string, workerIntervalMs?: number): Promise<Pm2Daemon> {
  const home = await mkdtemp(join(tmpdir(), 'sync-supervisor-pm2-home-'));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, PM2_HOME: home, ...(workerIntervalMs === undefined ? {} : { PM2_WORKER_INTERVAL: String(workerIntervalMs) }) };
  const cli = async (...args: string[]): Promise<string> => (await run(process.execPath, [bin, ...args], { env, timeout: 60_000 })).stdout;
  await cli('ping');
  const daemon: Pm2Daemon = {
    home,
    cli,
    godPid: () => Number(readFileSync(join(home, 'pm2.pid'), 'utf8').trim()),
    async appPid(name, deadlineMs = 15_000) {
      const end = performance.now() + deadlineMs;
      while (performance.now() < end) {
        const list = JSON.parse(await cli('jlist')) as JlistEntry[];
        const pid = list.find((p) => p.name === name)?.pid ?? 0;
        if (pid > 0) return pid;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`pm2 never reported a pid for ${name}`);
    },
    async kill() {
      await cli('kill').catch(() => undefined);
      await rm(home, { recursive: true, force: true });
    },
  };
  return daemon;
}
