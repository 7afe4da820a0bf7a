import { existsSync, readdirSync, readFileSync } from 'node:fs';

/**
 * Whether this kernel lists each thread's children in /proc/<pid>/task/<tid>/children (CONFIG_PROC_CHILDREN, Linux
 * 3.5 on). Checked once, on ourselves; where it is missing, every sample falls back to a full listing of /proc.
 */
export const childrenFilesAvailable: boolean =
  process.platform === 'linux' && existsSync(`/proc/${process.pid}/task/${process.pid}/children`);

/**
 * The pids whose parent is `pid` right now; empty once it is gone. A child is listed under the thread that forked
 * it (and moves to another thread of the process when that one exits), so every thread's file is read: a program
 * that spawns from a worker thread is followed too. Cost: one directory and one small read per thread.
 */
export function childPids(pid: number): number[] {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const children: number[] = [];
  for (const tid of tids) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1');
    } catch {
      continue; // the thread ended between the listing and the read
    }
    for (const word of text.split(' ')) if (word.length > 0) children.push(Number(word));
  }
  return children;
}
