import type { ProtocolSetting } from '../transform.ts';
import type { OperationWindow } from '../window.ts';

// Every default of a source, in one place.
export const SOURCE_DEFAULTS = {
  batchSize: 500,
  requestTimeoutMs: 30_000,
  maxAttempts: 4,
  retryDelayMs: 500,
  overlapMinutes: 5,
} as const;

/** One enabled or disabled data source, validated and with its defaults applied. */
export interface SourceSpec {
  readonly name: string;
  /** `redcap`, `redcap-export`, or any other type (refused at sync time, so other sources still run). */
  readonly type: string;
  readonly enabled: boolean;
  /** Absent: always inside. */
  readonly window?: OperationWindow;
  /** Pylantir prints a missing site as "None" in patient ids; we keep that so existing rows still match. */
  readonly site: string;
  readonly protocol: ProtocolSetting;
  readonly fieldMapping: Readonly<Record<string, string>>;
  /** redcap-export: absolute path of the export file. */
  readonly path?: string;
  /** redcap-export: the record id column. @default the file's first column */
  readonly recordIdField?: string;
  /** @default 500 */
  readonly batchSize: number;
  /** @default 30000 */
  readonly requestTimeoutMs: number;
  /** @default 4 */
  readonly maxAttempts: number;
  /** First retry delay; doubles each attempt, with jitter. @default 500 */
  readonly retryDelayMs: number;
  /** @default 5 */
  readonly overlapMinutes: number;
}

/** The Pylantir config as the runner uses it. */
export interface RunnerConfig {
  /** Absolute path of the Pylantir config file, for error messages. */
  readonly configPath: string;
  /** Absolute path of worklist.db. */
  readonly dbPath: string;
  readonly sources: readonly SourceSpec[];
  /** Things worth saying once about the config itself, e.g. that no source is enabled. */
  readonly warnings: readonly string[];
}
