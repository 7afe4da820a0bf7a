// The supervisor's resolved configuration: every default applied, every path absolute.
import type { LogLevel } from '../../shared/log-levels.ts';

export type Schedule = { readonly cron: string } | { readonly everyMs: number };

export interface RunnerConfig {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
}

export interface MemoryConfig {
  /** @default 100 */
  readonly sampleIntervalMs: number;
  /** @default 400 */
  readonly warnMb: number;
  /** @default 500 */
  readonly emergencyMb: number;
  /** @default 3000 */
  readonly graceMs: number;
  /** During the grace period, SIGKILL at once above this. @default emergencyMb × 1.5 */
  readonly hardLimitMb: number;
  /** How often the supervisor samples its own RSS. @default 60000 */
  readonly selfSampleIntervalMs: number;
}

export interface RestartConfig {
  /** Attempts per tick, the first included. @default 3 */
  readonly maxAttempts: number;
  /** First backoff; doubles per attempt. @default 1000 */
  readonly backoffMs: number;
  /** @default 30000 */
  readonly backoffMaxMs: number;
}

export interface TrendConfig {
  /** Measurements in the rolling window. @default 100 */
  readonly window: number;
  /** Fewest points before any trend alert. @default 10 */
  readonly minPoints: number;
  /** Shortest time span before any growth alert. @default 600000 (10 min) */
  readonly minSpanMs: number;
  /** @default 10 */
  readonly warnMbPerHour: number;
  /** @default 500 */
  readonly criticalMb: number;
  /** @default 10 */
  readonly logEveryRuns: number;
}

export interface RetentionConfig {
  /** @default 30 */
  readonly samplesDays: number;
  /** @default 365 */
  readonly runsDays: number;
}

export interface StatusConfig {
  /** Off when absent. */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host: string;
  /** Name of the environment variable that holds the bearer token; no auth when absent. */
  readonly tokenEnv?: string;
}

export interface SupervisorConfig {
  readonly schedule: Schedule;
  readonly timezone?: string;
  /** Run a tick at start instead of waiting for the first scheduled one. @default true */
  readonly runOnStart: boolean;
  readonly runner: RunnerConfig;
  /** Settings handed to the default sync-runner. */
  readonly sync: { readonly pylantirConfig: string };
  readonly memory: MemoryConfig;
  readonly restart: RestartConfig;
  readonly run: { readonly timeoutMs: number };
  readonly dataDir: string;
  readonly log: { readonly level: LogLevel; readonly json: boolean };
  readonly trend: TrendConfig;
  readonly retention: RetentionConfig;
  readonly status: StatusConfig;
  /** Where the config came from, for messages: a file path or `built-in default`. */
  readonly origin: string;
}
