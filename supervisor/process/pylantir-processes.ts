// The thin /proc shell of the second-writer check: every `pylantir start` process on this host, with what is
// needed to resolve its paths as it does (its working directory and its home). Linux only; elsewhere none is seen.
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, readlink } from 'node:fs/promises';
import { parsePylantirCmdline } from './pylantir-cmdline.ts';

export interface PylantirProcess {
  readonly pid: number;
  readonly argv: readonly string[];
  /** The --pylantir_config value as written; undefined when Pylantir's packaged default is used. */
  readonly configArg: string | undefined;
  /** Undefined when this user may not read it (another user's process, without CAP_SYS_PTRACE). */
  readonly cwd: string | undefined;
  /** $HOME of the process if readable, else its user's home in /etc/passwd: what Python's expanduser uses. */
  readonly home: string | undefined;
}

/** A command line longer than this is not Pylantir's; the read stops there. */
const MAX_CMDLINE_BYTES = 64 * 1024;

export async function pylantirStartProcesses(ownPid: number = process.pid): Promise<PylantirProcess[]> {
  if (process.platform !== 'linux') return [];
  const found: PylantirProcess[] = [];
  let passwd: string | undefined;
  for (const name of readdirSync('/proc')) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57 || Number(name) === ownPid) continue;
    const raw = readCmdline(name);
    if (raw === undefined || raw.length === 0 || raw.length > MAX_CMDLINE_BYTES) continue;
    const argv = raw.toString('utf8').split('\0');
    if (argv.at(-1) === '') argv.pop();
    const line = parsePylantirCmdline(argv);
    if (line?.command !== 'start') continue;
    const cwd = await readlink(`/proc/${name}/cwd`).catch(() => undefined);
    let home = await environHome(name);
    if (home === undefined) {
      passwd ??= await readFile('/etc/passwd', 'utf8').catch(() => '');
      home = passwdHome(passwd, await processUid(name));
    }
    found.push({ pid: Number(name), argv, configArg: line.configArg, cwd, home });
  }
  return found;
}

/**
 * Read synchronously, as the host listing reads stat files: a few hundred tiny /proc reads cost 3–9 ms this way
 * and 60–100 ms awaited one by one on a loaded host. The check runs at start and after a run, never during one.
 */
function readCmdline(pid: string): Buffer | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`);
  } catch {
    return undefined;
  }
}

async function environHome(pid: string): Promise<string | undefined> {
  const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => undefined);
  const entry = environ?.split('\0').find((variable) => variable.startsWith('HOME='));
  return entry === undefined || entry === 'HOME=' ? undefined : entry.slice('HOME='.length);
}

async function processUid(pid: string): Promise<string | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return /^Uid:\s+(\d+)/m.exec(status)?.[1];
}

/** The home field of `uid`'s line in /etc/passwd (`name:x:uid:gid:gecos:home:shell`). */
export function passwdHome(passwd: string, uid: string | undefined): string | undefined {
  if (uid === undefined) return undefined;
  const fields = passwd.split('\n').map((line) => line.split(':')).find((f) => f[2] === uid);
  return fields?.[5] || undefined;
}
