// Which processes have a file open, for the history CLI's "locked by pid N" message. Linux only, best effort: a
// process of another user is not readable without privileges, so an empty answer means "not knowable", not "none".
import { readdirSync, readlinkSync, realpathSync } from 'node:fs';

/** A message names a few holders, never a list that floods the terminal. */
const MAX_HOLDERS = 5;

export function processesHoldingFile(path: string): number[] {
  if (process.platform !== 'linux') return [];
  let target: string;
  try {
    target = realpathSync(path);
  } catch {
    return [];
  }
  const holders: number[] = [];
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    if (fds.some((fd) => linkOf(`/proc/${pid}/fd/${fd}`) === target)) holders.push(Number(pid));
    if (holders.length >= MAX_HOLDERS) break;
  }
  return holders;
}

function linkOf(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}
