import { bytesToMb } from '../../shared/units.ts';
import { processStartTicks } from '../process/process-identity.ts';
import { runChild } from './run-child.ts';
import { killMessage, runSummary, timeoutMessage, toleratingMessage, warnMessage } from './run-messages.ts';
import { failedReport, type RunReport } from '../vocabulary/run-report.ts';
import { markNothingToSync, NOTHING_TO_SYNC, nothingToSyncMessage } from './nothing-to-sync.ts';
import type { Logger } from '../../shared/logger.ts';
import { isLogLevel, type LogLevel } from '../../shared/log-levels.ts';
import { childEnv } from '../../shared/protocol.ts';
import type { SupervisorConfig } from '../config/types.ts';
import type { RunContext } from './run-context.ts';
import type { AlertKind } from '../vocabulary/alert-catalogue.ts';
import { cancelRefusedMessage, lifecycleRefusals } from './lifecycle-refusals.ts';
import { receiptText, WorklistReceiver } from './worklist-receiver.ts';

/** Longest child output line kept in the log; the rest of the line is dropped. */
const MAX_LINE_BYTES = 4096;

/** A child line that starts with a level word (as the sync-runner's do) keeps that level in our log. */
export function childLineLevel(line: string): { level: LogLevel; text: string } {
  const match = /^(\w+)\s+(.*)$/s.exec(line);
  const word = match?.[1] ?? '';
  return match && isLogLevel(word) ? { level: word, text: match[2] ?? '' } : { level: 'info', text: line };
}

export function commandText(config: SupervisorConfig): string {
  return [config.runner.command, ...config.runner.args].join(' ');
}

// One attempt: its history row, the child run with every event logged and stored, then the closing row.
export async function runAttempt(tickAtMs: number, attempt: number, deps: RunContext, env: Record<string, string>): Promise<{ runId: number; report: RunReport }> {
  const { config, store, logger, live, now } = deps;
  const startedAtMs = now();
  const { warnMb, emergencyMb, hardLimitMb, graceMs, sustainMs } = config.memory;
  const runId = await store.startRun(
    { tickAtMs, attempt, command: commandText(config), startedAtMs },
    { warnMb, emergencyMb, hardLimitMb, graceMs, sustainMs, timeoutMs: config.run.timeoutMs },
  );
  const log = logger.child({ runId });
  live.runStarted({ runId, tickAtMs, attempt, startedAtMs });
  deps.runStarted?.(runId);
  let invalidMessages = 0;
  // raise() logs at once and queues the row in the order raised (it never rejects); all land before the run's row
  // closes, which is queued after them. Never awaited: history.db may be locked or full, and the run must not wait.
  const alert = (kind: AlertKind, message: string, value: number | null): void => {
    void deps.alerts.raise(kind, { message, value, runId, logger: log });
  };
  const worklist = new WorklistReceiver({
    runId, logger: log, now,
    write: (changes, receivedAtMs) => store.addWorklistChanges(changes, receivedAtMs),
    written: (changes) => live.worklistChanged(changes),
  });
  const running = runChild({
    runner: config.runner,
    env: { ...env, [childEnv.runId]: String(runId) },
    supervisorEnv: deps.supervisorEnv,
    memory: config.memory,
    timeoutMs: config.run.timeoutMs,
    maxLineBytes: MAX_LINE_BYTES,
    now,
    stop: deps.stop,
    escalate: deps.escalate,
    events: {
      spawned(pid) {
        live.runSpawned(pid);
        void processStartTicks(pid)
          .then((ticks) => store.recordPid(runId, pid, ticks))
          // The row and its pid are queued; while history.db takes writes the line waits for them (never while it
          // is failing), so a supervisor killed after this line leaves the next start a pid to reap.
          .then(() => store.writesLandedSoon())
          .then(() => log.info(`run ${runId} started (attempt ${attempt}), pid ${pid}`))
          .catch((e: unknown) => log.error(`cannot record pid: ${(e as Error).message}`));
      },
      sample(sample) {
        live.runnerSample(sample);
        store.addSample('runner', { atMs: sample.atMs, runId, rssBytes: sample.rssBytes, pidCount: sample.pidCount });
      },
      warned(sample) {
        const message = warnMessage(runId, sample, config.memory.warnMb);
        alert('memory-warn', message, bytesToMb(sample.rssBytes, 1));
      },
      tolerating(sample, limitMb, sustainMs) {
        log.warn(toleratingMessage(runId, sample, limitMb, sustainMs));
      },
      terminating(stop) {
        if (stop.reason === 'memory') {
          // The verdict and the line come with the stop, decided once by the sample that triggered it.
          const message = killMessage(runId, stop.sample, stop.limitMb, stop.verdict === 'kill', config);
          alert('memory-emergency', message, bytesToMb(stop.sample.rssBytes, 1));
        } else if (stop.reason === 'timeout') {
          const message = timeoutMessage(runId, config.run.timeoutMs, config);
          alert('timeout', message, config.run.timeoutMs);
        } else if (stop.reason === 'shutdown') {
          log.info(`stopping runner for shutdown (run ${runId})`);
        }
      },
      line(stream, line, truncated) {
        const { level, text } = childLineLevel(line);
        log.log(level, truncated ? `${text} [line cut at ${MAX_LINE_BYTES} bytes]` : text, { stream });
      },
      progress(message) {
        log.debug(`progress ${message.phase} ${message.done}/${message.total}${message.source ? ` (${message.source})` : ''}`);
      },
      worklistChanges(changes) {
        worklist.receive(changes);
      },
      protocolViolation(error) {
        // Logged once, here; the run's row keeps the same text in its error column.
        log.error(`run ${runId}: ${error}`);
      },
      invalidMessage() {
        if (invalidMessages++ === 0) log.warn('runner sent a malformed IPC message; ignoring it and any more');
      },
      leftBehind(killed, survivors) {
        // Something outlived the runner (a helper that escaped its group, or a straggler in it): always worth knowing.
        if (killed.length > 0) log.warn(`run ${runId}: SIGKILLed ${killed.length} process(es) the runner left behind: pids ${killed.join(', ')}`);
        if (survivors.length > 0) log.error(`run ${runId}: ${survivors.length} process(es) of the runner's tree still alive after SIGKILL: pids ${survivors.join(', ')}`);
      },
    },
  });
  let report = failedReport('the supervisor lost track of the run before it ended');
  let endedAtMs = startedAtMs;
  try {
    report = markNothingToSync(await running);
    if (report.reason === NOTHING_TO_SYNC) log.warn(nothingToSyncMessage(runId, config.sync.pylantirConfig));
    for (const refusal of lifecycleRefusals(report.result)) {
      alert('worklist-cancel-refused', cancelRefusedMessage(runId, refusal, config), refusal.wouldHide);
    }
  } catch (error) {
    report = failedReport(`supervising the run failed: ${(error as Error).message}`);
    throw error;
  } finally {
    // Whatever happened, the run ends here: its live state is cleared and its row's close attempted. Its worklist
    // changes are in history first (or known not to be), so the next attempt is told what is there.
    const receipt = receiptText(await worklist.settled());
    if (receipt !== '') log.info(`run ${runId}: ${receipt}`);
    endedAtMs = now();
    await closeRun(runId, report, endedAtMs, deps, log);
  }
  const summary = runSummary(runId, attempt, report, endedAtMs - startedAtMs);
  if (report.status === 'ok' || report.status === 'interrupted') log.info(summary);
  else log.warn(summary);
  return { runId, report };
}

/**
 * Closes a run's row, then its live state. A history write that fails (a full disk) is logged, not thrown: the
 * run is over either way, so /healthz must not show it stuck and the tick must go on to its next step.
 */
async function closeRun(runId: number, report: RunReport, endedAtMs: number, deps: RunContext, log: Logger): Promise<void> {
  const { result, ...row } = report;
  try {
    await deps.store.finishRun(runId, { ...row, endedAtMs, resultJson: result ? JSON.stringify(result) : null });
    // Readers after the tick (/memory-status, the trend) find the closed row; bounded, and no wait while history.db fails.
    await deps.store.writesLandedSoon();
  } catch (error) {
    log.error(`cannot close the row of run ${runId} in history.db: ${(error as Error).message}; it reads 'running' until the next start marks it interrupted`);
  } finally {
    deps.live.runEnded(report.status, report.reason, endedAtMs);
  }
}
