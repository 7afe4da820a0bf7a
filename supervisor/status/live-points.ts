// PURE: LiveState's bounded point buffers → the compact JSON the dashboard charts draw.
import type { LiveState } from '../live-state.ts';

export interface LivePoints {
  /** `[atMs, rssBytes, runId]`, oldest first, across the last runs; the chart breaks its line where runId changes. */
  readonly runner: ReadonlyArray<readonly [number, number, number | null]>;
  /** `[atMs, rssBytes]`, oldest first. */
  readonly supervisor: ReadonlyArray<readonly [number, number]>;
  readonly currentRunId: number | null;
  readonly sampleIntervalMs: number;
}

export function livePoints(live: LiveState, sampleIntervalMs: number): LivePoints {
  return {
    runner: live.runnerPoints.map((p) => [p.atMs, p.rssBytes, p.runId ?? null] as const),
    supervisor: live.supervisorPoints.map((p) => [p.atMs, p.rssBytes] as const),
    currentRunId: live.current?.runId ?? null,
    sampleIntervalMs,
  };
}
