// Entry of `sync-supervisor history …`: argv → command → exit code. Never calls process.exit; prints no stack for user errors.
import { resolve } from 'node:path';
import { AppError } from '../../shared/errors/app-error.ts';
import type { Database } from '../../shared/sqlite.ts';
import { loadConfig } from '../config/load-config.ts';
import type { SupervisorConfig } from '../config/types.ts';
import { isLockError, lockedError, openHistoryReadonly } from '../history/open-history-readonly.ts';
import { parseCommand, stringOption, type CommandName } from './args.ts';
import { alertsCommand } from './commands/alerts.ts';
import { exportCommand } from './commands/export.ts';
import { plotCommand } from './commands/plot.ts';
import { runCommand } from './commands/run.ts';
import { runsCommand } from './commands/runs.ts';
import { trendCommand } from './commands/trend.ts';
import { worklistCommand } from './commands/worklist.ts';
import type { CommandContext, HistoryCliIo } from './context.ts';
import { timeFormatter } from './format.ts';
import { commandHelp, HISTORY_HELP } from './help.ts';

export type { HistoryCliIo } from './context.ts';

const handlers: Record<CommandName, (ctx: CommandContext) => Promise<number>> = {
  runs: runsCommand, run: runCommand, trend: trendCommand, alerts: alertsCommand, worklist: worklistCommand, export: exportCommand, plot: plotCommand,
};

/**
 * `--db` names the file; `--data-dir` the folder; otherwise the config's dataDir: `--config FILE`, or the
 * built-in config that `sync-supervisor` itself uses without one (dataDir ./data of the working directory).
 * The config given with `--config` also sets the zone times are shown in and the trend's data rule.
 */
function where(values: CommandContext['values'], cwd: string): { path: string; config?: SupervisorConfig } {
  const config = stringOption(values, 'config');
  const loaded = config === undefined ? undefined : loadConfig(resolve(cwd, config), cwd);
  const db = stringOption(values, 'db');
  if (db !== undefined) return { path: resolve(cwd, db), ...(loaded ? { config: loaded } : {}) };
  const dataDir = stringOption(values, 'data-dir');
  if (dataDir !== undefined) return { path: resolve(cwd, dataDir, 'history.db'), ...(loaded ? { config: loaded } : {}) };
  const chosen = loaded ?? loadConfig(undefined, cwd);
  return { path: resolve(chosen.dataDir, 'history.db'), ...(loaded ? { config: loaded } : {}) };
}

/**
 * The zone history times are shown in: the config's `timezone` (the zone its cron schedule runs in, so the site's
 * day), else `TZ`, else the machine's. Every time carries its UTC offset, so it lines up with the UTC log.
 */
function displayZone(config: SupervisorConfig | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return config?.timezone || env.TZ || undefined;
}

/** The catalogue's hint says "the same options"; here we know them, so the hint is the command to type. */
function withExactHint(error: unknown, argv: readonly string[]): unknown {
  if (!(error instanceof AppError) || error.code !== 'HISTORY_RUN_NOT_FOUND') return error;
  const where: string[] = [];
  for (const name of ['--config', '--data-dir', '--db']) {
    const at = argv.indexOf(name);
    if (at >= 0 && argv[at + 1] !== undefined) where.push(name, argv[at + 1] ?? '');
  }
  const command = ['sync-supervisor history runs', ...where].join(' ');
  return new AppError(error.code, error.message, { cause: error.cause, details: { ...error.details }, hint: `List the runs with \`${command}\` and pick an id from there.` });
}

// SQLite errors that mean "this file is damaged" or "locked", which may only show up once a query reads a page.
function asUserError(error: unknown, path: string | undefined): unknown {
  const code = (error as { code?: unknown }).code;
  if (path !== undefined && isLockError(error)) return lockedError(path, error);
  if (path !== undefined && (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB')) {
    return new AppError('HISTORY_NOT_A_DB', `${path} is damaged: ${(error as Error).message}`, { cause: error, details: { path } });
  }
  return error;
}

function report(error: unknown, io: HistoryCliIo, json: boolean): number {
  const appError = error instanceof AppError ? error : new AppError('INTERNAL', `history: ${(error as Error).message ?? String(error)}`, { cause: error });
  if (json) io.stderr.write(`${JSON.stringify({ error: { code: appError.code, message: appError.message, hint: appError.hint, exitCode: appError.exitCode } })}\n`);
  else io.stderr.write(`history: ${appError.toOperatorText()}\n`);
  // Only a bug deserves a stack trace; an operator's mistake gets the message and the next step.
  if (!(error instanceof AppError) && !json) io.stderr.write(`${(error as Error).stack ?? ''}\n`);
  return appError.exitCode;
}

/** `argv` is what follows `history`; resolves to the exit code. */
export async function runHistoryCli(argv: string[], io: HistoryCliIo): Promise<number> {
  const json = argv.includes('--json');
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    (argv.length === 0 ? io.stderr : io.stdout).write(HISTORY_HELP);
    return argv.length === 0 ? 2 : 0;
  }
  let path: string | undefined;
  let db: Database | undefined;
  try {
    const parsed = parseCommand(argv);
    if (parsed.values.help) {
      io.stdout.write(commandHelp(parsed.command));
      return 0;
    }
    const found = where(parsed.values, io.cwd);
    path = found.path;
    db = await openHistoryReadonly(path);
    const nowMs = (io.now ?? Date.now)();
    const ctx: CommandContext = {
      db, dbPath: path, values: parsed.values, positionals: parsed.positionals, io, nowMs, json,
      time: timeFormatter(displayZone(found.config, io.env)), ...(found.config ? { config: found.config } : {}),
    };
    return await handlers[parsed.command](ctx);
  } catch (error) {
    return report(withExactHint(asUserError(error, path), argv), io, json);
  } finally {
    await db?.close().catch(() => undefined);
  }
}
