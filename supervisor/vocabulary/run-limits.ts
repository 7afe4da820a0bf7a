// The memory and time limits a run is held to, in the config's units (MB, ms): resolved by config, acted on by the
// run, stored on the run's history row.

/** The limits a run is held to, stored on its row. */
export interface RunLimits {
  readonly warnMb: number;
  readonly emergencyMb: number;
  readonly hardLimitMb: number;
  readonly graceMs: number;
  /** memory.sustainMs: how long the tree may stay at the emergency line before it is stopped. */
  readonly sustainMs: number;
  readonly timeoutMs: number;
}
