// PURE: the `error` column of a run whose runner never ran: the errno and the command, so `history run` and the
// log line say "ENOENT: not found" instead of "failed in 25 ms, exit n/a".
import type { RunnerConfig } from '../config/types.ts';
import { codedError } from '../history/run-failure.ts';

/** What each errno usually means for a runner.command, in words an operator can act on. */
const MEANING: Readonly<Record<string, string>> = {
  ENOENT: 'not found (or runner.cwd does not exist)',
  EACCES: 'not executable by this user (check its mode and its folders\')',
  EPERM: 'not permitted',
  ENOEXEC: 'not a program this machine can run',
};

/** Exit code 127 before any result is how exec's failure surfaces when the spawn itself "succeeded" (a shell, a vfork). */
export const EXEC_FAILED_EXIT_CODE = 127;

function command(runner: Pick<RunnerConfig, 'command' | 'args' | 'cwd'>): string {
  return `runner.command "${runner.command}"${runner.args.length > 0 ? ` with ${runner.args.length} arg(s)` : ''} in ${runner.cwd}`;
}

/** The spawn's own error (Node's, with `code` ENOENT, EACCES, …). */
export function startFailure(error: Error & { readonly code?: unknown }, runner: Pick<RunnerConfig, 'command' | 'args' | 'cwd'>): string {
  const code = typeof error.code === 'string' ? error.code : 'SPAWN_FAILED';
  return codedError(code, `cannot start ${command(runner)}: ${MEANING[code] ?? error.message} (${error.message})`);
}

/** A child that exited 127 without reporting anything: most likely it could not be executed at all. */
export function execFailure(runner: Pick<RunnerConfig, 'command' | 'args' | 'cwd'>): string {
  return codedError('EXIT_127', `${command(runner)} exited 127 without a result: not found or not executable (or a command inside it was not found)`);
}
