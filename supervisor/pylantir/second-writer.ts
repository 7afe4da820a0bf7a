// Finds the Pylantir processes on this host that sync into our worklist file: a second writer beside our runner,
// which is what a site has when it turns our sync on and forgets to turn Pylantir's own off.
import { realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { readFileIdentity } from '../history/file-identity.ts';
import { pylantirStartProcesses, type PylantirProcess } from '../process/pylantir-processes.ts';
import { configPathOf, pylantirTarget, type PylantirTarget } from './pylantir-target.ts';
import { readJsonObject } from './read-json.ts';

export interface PylantirFinding {
  readonly pid: number;
  readonly commandLine: string;
  readonly target: PylantirTarget;
  /** True when it syncs into the same file as ours. */
  readonly sameWorklist: boolean;
}

/** Every `pylantir start` process, what it does, and whether its sync writes `ourDbPath`. */
export async function findPylantirSyncs(ourDbPath: string, list: () => Promise<PylantirProcess[]> = pylantirStartProcesses): Promise<PylantirFinding[]> {
  const findings: PylantirFinding[] = [];
  for (const proc of await list()) {
    const configPath = configPathOf(proc);
    const read = configPath === undefined ? undefined : await readJsonObject(configPath);
    const target = pylantirTarget(proc, configPath, read);
    const sameWorklist = target.kind === 'syncs' && (await sameFile(target.dbPath, ourDbPath));
    findings.push({ pid: proc.pid, commandLine: proc.argv.join(' '), target, sameWorklist });
  }
  return findings;
}

/** Two paths name one file: the same (dev, ino) when it exists, else the same real folder and name. */
export async function sameFile(a: string, b: string): Promise<boolean> {
  if (a === b) return true;
  const [idA, idB] = await Promise.all([identity(a), identity(b)]);
  if (idA !== undefined && idB !== undefined) return idA.dev === idB.dev && idA.ino === idB.ino;
  const [realA, realB] = await Promise.all([realPathOf(a), realPathOf(b)]);
  return realA === realB;
}

async function identity(path: string): Promise<{ dev: number; ino: number } | undefined> {
  return readFileIdentity(path).catch(() => undefined);
}

/** The real path of a file that may not exist yet: its folder's real path (when that exists) and its name. */
async function realPathOf(path: string): Promise<string> {
  const real = await realpath(path).catch(() => undefined);
  if (real !== undefined) return real;
  const folder = await realpath(dirname(path)).catch(() => dirname(path));
  return join(folder, basename(path));
}
