import { decide, toMb } from '../memory/decide.ts';
import { processStartTicks } from '../process/process-identity.ts';
import { runChild } from './run-child.ts';
import { killMessage, runSummary, timeoutMessage, warnMessage } from './run-messages.ts';
import type { RunReport } from './run-report.ts';
import { isLogLevel, type LogLevel } from '../../shared/log-levels.ts';
import { childEnv } from '../../shared/protocol.ts';
import type { SupervisorConfig } from '../config/types.ts';
import type { TickDeps } from '../schedule/tick.ts';

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
export async function runAttempt(tickAtMs: number, attempt: number, deps: TickDeps, env: Record<string, string>): Promise<{ runId: number; report: RunReport }> {
  const { config, store, logger, live, now } = deps;
  const startedAtMs = now();
  const { warnMb, emergencyMb, hardLimitMb, graceMs } = config.memory;
  const runId = await store.startRun(
    { tickAtMs, attempt, command: commandText(config), startedAtMs },
    { warnMb, emergencyMb, hardLimitMb, graceMs, timeoutMs: config.run.timeoutMs },
  );
  const log = logger.child({ runId });
  live.runStarted({ runId, tickAtMs, attempt, startedAtMs });
  let invalidMessages = 0;
  // Alerts are written one after another, in the order they happened, and all land before the run's row closes.
  let alerts: Promise<unknown> = Promise.resolve();
  const alert = (level: 'warning' | 'critical', kind: string, message: string, value: number | null): void => {
    const atMs = now();
    alerts = alerts
      .then(() => store.addAlert({ atMs, level, kind, message, value, runId }))
      .catch((e: unknown) => log.error(`cannot write alert: ${(e as Error).message}`));
  };
  const report = await runChild({
    runner: config.runner,
    env: { ...env, [childEnv.runId]: String(runId) },
    memory: config.memory,
    timeoutMs: config.run.timeoutMs,
    maxLineBytes: MAX_LINE_BYTES,
    now,
    stop: deps.stop,
    escalate: deps.escalate,
    events: {
      spawned(pid) {
        if (live.current) live.current.pid = pid;
        void processStartTicks(pid)
          .then((ticks) => store.recordPid(runId, pid, ticks))
          .then(() => log.info(`run ${runId} started (attempt ${attempt}), pid ${pid}`))
          .catch((e: unknown) => log.error(`cannot record pid: ${(e as Error).message}`));
      },
      sample(sample) {
        live.runnerSample(sample);
        store.addSample('runner', { atMs: sample.atMs, runId, rssBytes: sample.rssBytes, pidCount: sample.pidCount });
      },
      warned(sample) {
        const message = warnMessage(runId, sample, config.memory.warnMb);
        log.warn(message);
        alert('warning', 'memory-warn', message, toMb(sample.rssBytes));
      },
      terminating(reason, sample) {
        if (reason === 'memory' && sample) {
          const hard = decide(sample.rssBytes, config.memory) === 'kill';
          const message = killMessage(runId, sample, hard ? config.memory.hardLimitMb : config.memory.emergencyMb, hard);
          log.error(message);
          alert('critical', 'memory-emergency', message, toMb(sample.rssBytes));
        } else if (reason === 'timeout') {
          const message = timeoutMessage(runId, config.run.timeoutMs);
          log.error(message);
          alert('warning', 'timeout', message, config.run.timeoutMs);
        } else {
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
  await alerts;
  const endedAtMs = now();
  const { result, ...row } = report;
  await store.finishRun(runId, { ...row, endedAtMs, resultJson: result ? JSON.stringify(result) : null });
  live.runEnded(report.status, report.reason, endedAtMs);
  const summary = runSummary(runId, attempt, report, endedAtMs - startedAtMs);
  if (report.status === 'ok' || report.status === 'interrupted') log.info(summary);
  else log.warn(summary);
  return { runId, report };
}
