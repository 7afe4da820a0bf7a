import '../shared/no-inspector-signal.ts';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError } from '../shared/errors/app-error.ts';
import { catalogueEntry } from '../shared/errors/catalogue.ts';
import { closeLogger, createLogger } from '../shared/logger.ts';
import { childEnv, type RunnerMessage, type SourceResult } from '../shared/protocol.ts';
import { redactSecrets, redactText } from '../shared/redact.ts';
import { helpText, parseArgs, type RunnerArgs } from './cli/args.ts';
import { ALLOW_HTTP_VARIABLE, readCredentials } from './credentials.ts';
import { checkOnly } from './run/check-only.ts';
import { openSupervisorChannel, type SupervisorChannel } from './ipc-channel.ts';
import { parseJournalReceived } from './run/journal-resend.ts';
import { runSync } from './run/run-sync.ts';

/** After SIGTERM the batch in hand gets this long to commit; the supervisor's grace period is longer. */
const INTERRUPT_DEADLINE_MS = 1500;
/** For tests only: the local date (YYYY-MM-DD) the lifecycle step's expiry counts from, instead of today's. */
const TEST_TODAY_VARIABLE = 'SYNC_RUNNER_TEST_TODAY';

// The entry: argv, env and .env in; channel messages, log lines on stderr and an exit code out. Nothing else reads process.*.
async function main(): Promise<number> {
  let args: RunnerArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'RUNNER_USAGE') throw error;
    process.stderr.write(`sync-runner: ${error.toOperatorText()}\n`);
    return error.exitCode;
  }
  if (args.help) {
    process.stdout.write(helpText());
    return 0;
  }

  // .env never overrides what the environment already says (process.loadEnvFile semantics).
  const envFile = args.envFile ?? (existsSync('.env') ? '.env' : undefined);
  if (envFile !== undefined) {
    try {
      process.loadEnvFile(envFile);
    } catch (error) {
      process.stderr.write(`sync-runner: cannot load env file ${envFile}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}\n`);
      return catalogueEntry('CREDENTIALS_INVALID').exitCode;
    }
  }
  const redcapEnv = { REDCAP_API_URL: process.env.REDCAP_API_URL, REDCAP_API_TOKEN: process.env.REDCAP_API_TOKEN, [ALLOW_HTTP_VARIABLE]: process.env[ALLOW_HTTP_VARIABLE] };
  const secrets = [redcapEnv.REDCAP_API_TOKEN?.trim() ?? ''].filter((s) => s.length > 0);
  if (args.check) {
    const target = args.pylantirConfig ?? process.env[childEnv.pylantirConfig];
    if (!target) {
      process.stderr.write(`sync-runner: --check needs --pylantir-config PATH or ${childEnv.pylantirConfig}\n`);
      return catalogueEntry('RUNNER_USAGE').exitCode;
    }
    const outcome = await checkOnly(target, process.cwd(), () => readCredentials(redcapEnv));
    for (const line of [...outcome.problems, ...outcome.notes]) process.stdout.write(`${redactText(line, secrets)}\n`);
    return outcome.exitCode;
  }
  // A refusal can only come from a send, once the logger exists.
  const channel = openSupervisorChannel(process.env, (bytes) => log.error(`a message of ${bytes} bytes is over the channel's cap; not sent`));
  // Under a supervisor every line is stamped again on arrival; one timestamp per line is enough.
  const log = createLogger({ level: args.logLevel ?? 'info', consoleStream: process.stderr, secrets, consoleTimestamps: channel === undefined });
  const send = channelSender(channel, secrets);

  const controller = new AbortController();
  const stop = (why: string) => {
    if (controller.signal.aborted) return;
    log.warn(`${why}: finishing the current batch, then exiting`);
    controller.abort(new AppError('RUNNER_INTERRUPTED', `interrupted: ${why}`));
    // A batch commits in milliseconds; this only bounds a pathological wait (e.g. a lock) well inside the grace period.
    setTimeout(() => process.exit(catalogueEntry('RUNNER_INTERRUPTED').exitCode), INTERRUPT_DEADLINE_MS).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  // A runner never outlives its supervisor: its death (even while this runner was still loading) closes the channel.
  channel?.onClosed(() => stop('IPC channel closed'));
  await send({ type: 'ready' });

  const pylantirConfig = args.pylantirConfig ?? process.env[childEnv.pylantirConfig];
  const dataDir = resolve(args.dataDir ?? process.env[childEnv.dataDir] ?? './data');
  const started = performance.now();
  let exitCode: number;
  let sources: readonly SourceResult[] = [];
  try {
    if (pylantirConfig === undefined || pylantirConfig === '') {
      throw new AppError('RUNNER_USAGE', `no Pylantir config: pass --pylantir-config PATH or set ${childEnv.pylantirConfig}`);
    }
    const journal = parseJournalReceived(process.env[childEnv.journalReceived]);
    if (journal.problem !== undefined) log.warn(`${childEnv.journalReceived} ${journal.problem}; re-sending the whole worklist journal`);
    const runId = Number(process.env[childEnv.runId]);
    const today = process.env[TEST_TODAY_VARIABLE];
    const outcome = await runSync({
      pylantirConfig,
      report: send,
      journalReceived: journal.received,
      runId: Number.isSafeInteger(runId) && runId > 0 ? runId : null,
      ...(today ? { today } : {}),
      dataDir,
      cwd: process.cwd(),
      signal: controller.signal,
      credentials: () => readCredentials(redcapEnv),
      log,
      progress: (message) => void send(message),
    });
    sources = outcome.sources;
    exitCode = outcome.exitCode;
  } catch (error) {
    const failure = error instanceof AppError ? error : new AppError('RUNNER_FAILED', `unexpected error: ${(error as Error).stack ?? String(error)}`, { cause: error });
    log.error(`[${failure.code}] ${failure.message}`, { hint: failure.hint });
    exitCode = failure.exitCode;
  }
  const durationMs = Math.round(performance.now() - started);
  await send({ type: 'result', sources, durationMs });
  log.info(`sync-runner done: exit ${exitCode}`, { durationMs, sources: sources.map((s) => `${s.name}=${s.status}`).join(',') });
  await closeLogger(log);
  return exitCode;
}

/** Sends over the channel when there is one, waiting until the message is handed to the OS; redacts once more, on the way out. */
function channelSender(channel: SupervisorChannel | undefined, secrets: readonly string[]): (message: RunnerMessage) => Promise<void> {
  return async (message) => {
    await channel?.send(redactSecrets(structuredClone(message), secrets));
  };
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`sync-runner: internal error: ${redactText(String((error as Error).stack ?? error), [process.env.REDCAP_API_TOKEN ?? ''])}\n`);
    process.exit(catalogueEntry('RUNNER_FAILED').exitCode);
  },
);
