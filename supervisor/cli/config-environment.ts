// check-config's second half: what the config names on this machine and in this environment, checked before a
// run finds it missing. Loaded only by check-config, so the resident supervisor never carries the runner's modules.
import { constants, existsSync, statSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, dirname, join, resolve } from 'node:path';
import type { SupervisorConfig } from '../config/types.ts';
import { childEnv } from '../../shared/protocol.ts';
import { usesBundledRunner } from '../config/defaults.ts';
import { runnerEnv } from '../process/env-allow-list.ts';

/** The bundled runner's `--check` prefixes a line that stops nothing (e.g. a source's lifecycle settings) with this. */
const RUNNER_NOTE_PREFIX = 'note: ';

export interface EnvironmentCheck {
  /** Every problem found, each naming its key; empty when a run should find what it needs. */
  readonly problems: readonly string[];
  /** What the runner's `--check` says that stops nothing: each source's lifecycle settings and advice. */
  readonly notes: readonly string[];
}

export async function environmentProblems(config: SupervisorConfig, env: NodeJS.ProcessEnv): Promise<EnvironmentCheck> {
  const problems: string[] = [];
  const notes: string[] = [];
  const tokenEnv = config.status.tokenEnv;
  if (tokenEnv !== undefined && !env[tokenEnv]?.trim()) {
    problems.push(`status.tokenEnv: the variable ${tokenEnv} is ${env[tokenEnv] === undefined ? 'unset' : 'empty'} in this environment, so supervise and run-once would exit 5; set it where the service gets its environment (the systemd EnvironmentFile, or .env in the working directory)`);
  }
  // spawn would fail every run with a bare ENOENT that reads like a missing command.
  if (!isDirectory(config.runner.cwd)) {
    problems.push(`runner.cwd: ${config.runner.cwd} does not exist or is not a folder; create it, or fix the path (a relative one is relative to the config file's folder)`);
  }
  const runnerEnv = { ...env, ...config.runner.env };
  const missing = await commandProblem(config.runner.command, config.runner.cwd, runnerEnv.PATH ?? '');
  if (missing !== undefined) problems.push(`runner.command: ${missing}`);
  if (!isFile(config.sync.pylantirConfig)) problems.push(`sync.pylantirConfig: ${config.sync.pylantirConfig} does not exist or is not a file`);
  else if (usesBundledRunner(config.runner)) {
    for (const line of await pylantirProblems(config, env)) {
      if (line.startsWith(RUNNER_NOTE_PREFIX)) notes.push(line.slice(RUNNER_NOTE_PREFIX.length));
      else problems.push(line);
    }
  }
  const dataDir = await writableProblem(config.dataDir);
  if (dataDir !== undefined) problems.push(`dataDir: ${dataDir}`);
  return { problems, notes };
}

/** A command with a slash is a path (relative to runner.cwd, as spawn resolves it); without one, PATH is searched. */
async function commandProblem(command: string, cwd: string, path: string): Promise<string | undefined> {
  if (command.includes('/')) {
    const file = resolve(cwd, command);
    if (!isFile(file)) return `${file} does not exist`;
    return (await isExecutable(file)) ? undefined : `${file} is not executable by this user`;
  }
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const file = join(dir, command);
    if (isFile(file) && (await isExecutable(file))) return undefined;
  }
  return `"${command}" is not found on PATH (${path || 'empty'}); give an absolute path or install it`;
}

/**
 * The bundled runner's own start-up checks (its script is built, the Pylantir config is valid, REDCap credentials
 * are set), asked of the runner itself with `--check`, in the environment and folder a run would give it: the
 * supervisor never loads the runner's modules.
 */
async function pylantirProblems(config: SupervisorConfig, env: NodeJS.ProcessEnv): Promise<string[]> {
  const script = config.runner.args[0] ?? '';
  if (!isFile(script)) return [`runner: the bundled sync-runner ${script} is not built; run \`npm run build\` in ${dirname(dirname(dirname(script)))}`];
  const { execFile } = await import('node:child_process');
  const childEnvironment = runnerEnv(env, config.runner.env, { [childEnv.pylantirConfig]: config.sync.pylantirConfig });
  return new Promise((resolvePromise) => {
    execFile(config.runner.command, [script, '--check'], { cwd: config.runner.cwd, env: childEnvironment, timeout: CHECK_TIMEOUT_MS }, (error, stdout, stderr) => {
      const problems = stdout.split('\n').filter((line) => line.trim() !== '');
      if (error && problems.length === 0) problems.push(`runner --check failed: ${stderr.trim().split('\n').at(-1) ?? error.message}`);
      resolvePromise(problems);
    });
  });
}

/** A config check that does not answer in this long has hung on something a run would hang on too. */
const CHECK_TIMEOUT_MS = 30_000;

/** An existing dir must be writable; a missing one must be creatable under its nearest existing parent. */
async function writableProblem(dir: string): Promise<string | undefined> {
  let existing = dir;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  try {
    await access(existing, constants.W_OK | constants.X_OK);
    return undefined;
  } catch {
    return existing === dir ? `${dir} is not writable by this user` : `${dir} does not exist and ${existing} is not writable by this user to create it`;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(() => true, () => false);
}
