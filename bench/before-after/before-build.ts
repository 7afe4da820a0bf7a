// The "before" of the before-after suite: an older revision checked out in a temporary git worktree, this checkout's
// node_modules linked in (the lockfile is the same across issue 21), and built by its own `npm run build`. The
// worktree is removed afterwards whatever happened, also on Ctrl-C.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { root } from '../lib/spawn-bin.ts';

const run = promisify(execFile);
/** A build on 2 busy cores takes about a minute; ten is a build that hangs. */
const BUILD_TIMEOUT_MS = 600_000;
/** A commit from before any of the run state machine work: the default when the history has no run-machine.ts. */
const FALLBACK_BEFORE = '70fe3f2';

/** git in this checkout; its trimmed output. */
export const git = (...args: string[]): string => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8' }).trim();

/**
 * The default "before": main just before issue 21's run core landed, i.e. the first parent of the first-parent commit
 * that added supervisor/run/run-machine.ts (the merge of wt/machine). Its first parent has every other change of the
 * time (issues 19, 20, 22), so the two builds differ by issue 21 and what followed it only.
 */
export function defaultBeforeRev(): string {
  const added = git('log', '--first-parent', '--diff-filter=A', '--format=%H', 'HEAD', '--', 'supervisor/run/run-machine.ts').split('\n').filter(Boolean).at(-1);
  return added === undefined ? FALLBACK_BEFORE : `${added}^1`;
}

export interface BeforeBuild {
  readonly rev: string;
  readonly commit: string;
  readonly subject: string;
  /** The built supervisor, dist/supervisor/main.js in the worktree. */
  readonly bin: string;
  readonly buildSeconds: number;
  /** Removes the worktree (idempotent, synchronous so a signal handler can call it). */
  remove(): void;
}

/** Checks `rev` out in a temporary worktree and builds it; on a failed build the worktree is gone before the throw. */
export async function buildBefore(rev: string): Promise<BeforeBuild> {
  const commit = git('rev-parse', '--verify', `${rev}^{commit}`);
  const subject = git('log', '-1', '--format=%s', commit);
  const parent = mkdtempSync(join(tmpdir(), 'sync-supervisor-bench-before-'));
  const tree = join(parent, 'tree');
  let removed = false;
  const remove = (): void => {
    if (removed) return;
    removed = true;
    // The link first, so nothing can follow it into this checkout's node_modules.
    rmSync(join(tree, 'node_modules'), { force: true });
    try {
      git('worktree', 'remove', '--force', tree);
    } catch {
      // Never added, or half added: the folder goes, then prune forgets its entry (prune drops only entries whose
      // folder is gone, so the other worktrees of this repository are left as they are).
      rmSync(parent, { recursive: true, force: true });
      git('worktree', 'prune');
    }
    rmSync(parent, { recursive: true, force: true });
  };
  const onSignal = (): void => {
    remove();
    process.exit(130);
  };
  const removeOnce = (): void => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    remove();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const started = performance.now();
  try {
    git('worktree', 'add', '--detach', tree, commit);
    symlinkSync(join(root, 'node_modules'), join(tree, 'node_modules'), 'dir');
    await run('npm', ['run', 'build'], { cwd: tree, timeout: BUILD_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    removeOnce();
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`building ${rev} (${commit.slice(0, 8)}) failed: ${(error as Error).message}\n${String(stdout ?? '').slice(-2000)}${String(stderr ?? '').slice(-2000)}`);
  }
  return {
    rev,
    commit,
    subject,
    bin: join(tree, 'dist', 'supervisor', 'main.js'),
    buildSeconds: Math.round((performance.now() - started) / 100) / 10,
    remove: removeOnce,
  };
}
