import { join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { AppError, isAppError } from '../../shared/errors/app-error.ts';
import { supervisorCodes } from '../../shared/errors/supervisor-codes.ts';
import { closeLogger, createLogger } from '../../shared/logger.ts';
import { packageVersion } from '../../shared/package-root.ts';
import { loadConfig } from '../config/load-config.ts';
import { configSchema } from '../config/schema.ts';
import { alertSecrets } from '../alerts/sink-secrets.ts';
import { checkConfigText } from './check-config-text.ts';
import { helpText } from './help.ts';
import { parseCliArgs } from './parse-args.ts';
import { supervise } from './supervise.ts';

export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Where SIGTERM, SIGINT, SIGHUP, SIGUSR2 (stop) and SIGUSR1 (ignored) arrive; `process` in the real bin. */
  readonly signals: NodeJS.EventEmitter;
  /** Called once the supervisor is up, so the bin can hook `exit` to kill the child synchronously. */
  readonly onSupervisorStarted?: (killChildNow: () => void) => void;
  /** The history command's entry, injected so the supervisor's start-up does not load it. */
  readonly historyCli?: (argv: string[], io: { stdout: Writable; stderr: Writable; env: NodeJS.ProcessEnv; cwd: string }) => Promise<number>;
}

// The CLI as a function: argv in, exit code out. Nothing here calls process.exit.
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const args = parseCliArgs(argv);
    if (args.command === 'help') return write(io.stdout, helpText(packageVersion(), args.helpTopic), 0);
    if (args.command === 'version') return write(io.stdout, `${packageVersion()}\n`, 0);
    if (args.command === 'history') {
      if (!io.historyCli) throw new AppError('USAGE', 'the history command is not available in this build');
      return await io.historyCli([...args.rest], io);
    }
    if (args.command === 'check-config' && args.printSchema) return write(io.stdout, `${JSON.stringify(configSchema, null, 2)}\n`, 0);
    // Absolute from here on, so the history hints printed in logs work from any directory.
    const config = loadConfig(args.configPath === undefined ? undefined : resolve(io.cwd, args.configPath), io.cwd);
    if (args.command === 'pylantir-server-config') {
      return await (await import('./pylantir-server-config.ts')).runPylantirServerConfig(args.from, args.out, config, io);
    }
    if (args.command === 'check-config') {
      // The runner's notes go to stderr: stdout stays the header line and a config file that can be used as it is.
      for (const note of await assertEnvironment(config, io.env, io.stderr)) io.stderr.write(`sync-runner: ${note}\n`);
      return write(io.stdout, checkConfigText(config), 0);
    }
    const logger = createLogger({
      level: args.logLevel ?? config.log.level,
      jsonConsole: args.jsonLogs || config.log.json,
      consoleStream: io.stderr,
      dir: join(config.dataDir, 'logs'),
      // The alert sinks' secrets too: a webhook URL or header read from a variable whose name says nothing of it.
      secrets: [...secretsIn(io.env), ...alertSecrets(config.alerts, io.env)],
    });
    const consoleGone = (error: NodeJS.ErrnoException): void => {
      logger.warn(`console output closed (${error.code ?? error.message}): its lines are dropped from now on; this file keeps them all`);
    };
    io.stderr.once('error', consoleGone);
    try {
      return await supervise(config, { logger, once: args.once, signals: io.signals, env: io.env, onStarted: io.onSupervisorStarted });
    } catch (error) {
      logger.error(isAppError(error) ? error.message : (error as Error).stack ?? String(error));
      throw error;
    } finally {
      io.stderr.off('error', consoleGone);
      await closeLogger(logger);
    }
  } catch (error) {
    if (isAppError(error)) return write(io.stderr, `sync-supervisor: ${error.toOperatorText()}\n`, error.exitCode);
    return write(io.stderr, `sync-supervisor: internal error: ${(error as Error).stack ?? String(error)}\n  → ${supervisorCodes.INTERNAL.hint}\n`, supervisorCodes.INTERNAL.exitCode);
  }
}

/** The config file itself is fine here, so "fix the named key in the config file" would send the operator the wrong way. */
const ENVIRONMENT_HINT =
  'Fix each line where it says: a variable (REDCAP_API_URL, REDCAP_API_TOKEN, the status token) is set in the environment the service gets ' +
  '(the systemd EnvironmentFile, or .env in its working directory), not in the config file; a file or command at the path named. Then run check-config again.';

/**
 * check-config's checks of what the config names (token variable, files, commands) and of the worklist a run would
 * write (said on stderr, so stdout stays the effective config); loaded only for check-config. Returns the runner's
 * notes (each source's lifecycle settings) when nothing stops a run.
 */
async function assertEnvironment(config: Awaited<ReturnType<typeof loadConfig>>, env: NodeJS.ProcessEnv, stderr: Writable): Promise<readonly string[]> {
  const environment = await (await import('./config-environment.ts')).environmentProblems(config, env);
  const worklist = await (await import('./worklist-check.ts')).worklistCheck(config, env);
  for (const line of worklist.lines) stderr.write(`check-config: ${line}\n`);
  const { notes } = environment;
  const problems = [...environment.problems, ...worklist.problems];
  if (problems.length === 0) return notes;
  throw new AppError('CONFIG_INVALID', `config ${config.origin} is valid, but a run would fail here:\n  - ${problems.join('\n  - ')}`, { details: { problems }, hint: ENVIRONMENT_HINT });
}

/** Values that must never reach a log line: the REDCap token and any status token. */
function secretsIn(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([key, value]) => value !== undefined && value.length >= 8 && /TOKEN|SECRET|PASSWORD/i.test(key))
    .map(([, value]) => value as string);
}

function write(stream: Writable, text: string, code: number): number {
  stream.write(text);
  return code;
}
