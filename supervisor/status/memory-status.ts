// PURE: live state + the cached history part + trend → the /memory-status document.
import type { MemoryConfig } from '../config/types.ts';
import type { LiveState } from '../live-state.ts';
import type { AlertSummary, HistorySnapshot, RecentRun } from '../history/snapshot.ts';
import type { WorklistChangeView } from '../history/queries-worklist.ts';
import type { LatestTrends } from '../vocabulary/trend-stats.ts';

export interface MemoryStatus {
  readonly generatedAtMs: number;
  readonly supervisor: {
    readonly pid: number;
    readonly rssBytes: number;
    readonly heapUsedBytes: number;
    readonly heapTotalBytes: number;
    readonly startedAtMs: number;
    readonly uptimeMs: number;
  };
  readonly currentRun: {
    readonly runId: number;
    readonly attempt: number;
    /** Null for the moment between the run's row and the child's spawn. */
    readonly pid: number | null;
    readonly treeRssBytes: number;
    readonly pidCount: number;
    readonly startedAtMs: number;
    readonly elapsedMs: number;
    readonly peakRssBytes: number;
  } | null;
  readonly thresholds: {
    readonly warnMb: number;
    readonly emergencyMb: number;
    readonly hardLimitMb: number;
    readonly graceMs: number;
    readonly sampleIntervalMs: number;
  };
  readonly recentRuns: readonly RecentRun[];
  /** Latest trend statistics per series, or null when the trend engine is not wired or has no data yet. */
  readonly trend: LatestTrends | null;
  readonly alerts: AlertSummary;
  /** Counts since this supervisor process started (the history keeps the rest). */
  readonly counters: {
    readonly runsByStatus: Readonly<Record<string, number>>;
    readonly killsByReason: Readonly<Record<string, number>>;
  };
  /** The sync's worklist status changes: every one history.db holds, by reason, and the newest 20 (newest first). */
  readonly worklist: {
    readonly changesByReason: Readonly<Record<string, number>>;
    readonly recentChanges: readonly WorklistChangeView[];
  };
  readonly schedule: {
    readonly running: boolean;
    readonly nextTickAtMs: number | null;
    readonly lastTickAtMs: number | null;
    readonly lastOkAtMs: number | null;
  };
}

export interface MemoryStatusInputs {
  readonly nowMs: number;
  readonly pid: number;
  readonly memoryUsage: Pick<NodeJS.MemoryUsage, 'rss' | 'heapUsed' | 'heapTotal'>;
  readonly live: LiveState;
  readonly memory: MemoryConfig;
  readonly history: HistorySnapshot;
  readonly trend: LatestTrends | undefined;
  readonly nextTickAtMs: number | undefined;
}

/** The newer of the in-memory and the recorded last success: the history covers the time before a restart. */
export function lastOkAt(live: LiveState, history: HistorySnapshot): number | null {
  const candidates = [live.lastOkAtMs, history.lastOkAtMs ?? undefined].filter((v): v is number => v !== undefined);
  return candidates.length === 0 ? null : Math.max(...candidates);
}

export function buildMemoryStatus(inputs: MemoryStatusInputs): MemoryStatus {
  const { live, memory, nowMs } = inputs;
  const run = live.current;
  const trend = inputs.trend && (inputs.trend.runner !== undefined || inputs.trend.supervisor !== undefined) ? inputs.trend : null;
  return {
    generatedAtMs: nowMs,
    supervisor: {
      pid: inputs.pid,
      rssBytes: inputs.memoryUsage.rss,
      heapUsedBytes: inputs.memoryUsage.heapUsed,
      heapTotalBytes: inputs.memoryUsage.heapTotal,
      startedAtMs: live.startedAtMs,
      uptimeMs: nowMs - live.startedAtMs,
    },
    currentRun: run
      ? {
          runId: run.runId, attempt: run.attempt, pid: run.pid ?? null, treeRssBytes: run.rssBytes, pidCount: run.pidCount,
          startedAtMs: run.startedAtMs, elapsedMs: nowMs - run.startedAtMs, peakRssBytes: run.peakRssBytes,
        }
      : null,
    thresholds: {
      warnMb: memory.warnMb, emergencyMb: memory.emergencyMb, hardLimitMb: memory.hardLimitMb,
      graceMs: memory.graceMs, sampleIntervalMs: memory.sampleIntervalMs,
    },
    recentRuns: inputs.history.recentRuns,
    trend,
    alerts: inputs.history.alerts,
    counters: { runsByStatus: Object.fromEntries(live.runsByStatus), killsByReason: Object.fromEntries(live.killsByReason) },
    worklist: { changesByReason: Object.fromEntries(live.worklistChangesByReason), recentChanges: inputs.history.worklistChanges },
    schedule: {
      running: live.schedulerRunning,
      nextTickAtMs: inputs.nextTickAtMs ?? null,
      lastTickAtMs: live.lastTickAtMs ?? null,
      lastOkAtMs: lastOkAt(live, inputs.history),
    },
  };
}
