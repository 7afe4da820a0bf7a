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

/** The lifecycle step's defaults: off, so an existing site sees no change until it opts in. */
export const LIFECYCLE_DEFAULTS = {
  cancelRemoved: false,
  expireAfterDays: null,
  maxCancelFraction: 0.2,
  dryRun: false,
  // The snapshot reads every record: at 100k records 32 MB from REDCap, 11-24 s and about 170 MB more runner RSS
  // (npm run bench -- lifecycle); at 10k, 3.2 MB, 1.4-7 s and about 20 MB. Every 5-minute tick would add that much to each run;
  // every 15 minutes bounds it while a cancelled visit still leaves the scanner's list within a quarter of an hour.
  snapshotEveryMinutes: 15,
} as const;

/** `config.lifecycle` of a source: which rows this source created may leave the scanner's list, and when. */
export interface LifecycleSettings {
  /** Hide (CANCELED) rows whose visit was deleted or lost its date in REDCap. */
  readonly cancelRemoved: boolean;
  /** Hide SCHEDULED rows whose date is more than this many days past; null = never. */
  readonly expireAfterDays: number | null;
  /** Refuse a pass that would hide more than this share of the source's visible rows. */
  readonly maxCancelFraction: number;
  /** Compute, log and report; change nothing. */
  readonly dryRun: boolean;
  /** Take the snapshot of the whole project at most this often; 0 = every run. */
  readonly snapshotEveryMinutes: number;
}

/** Whether the step runs at all: it does when either kind of hiding is on. */
export const lifecycleEnabled = (settings: LifecycleSettings): boolean => settings.cancelRemoved || settings.expireAfterDays !== null;

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
  readonly lifecycle: LifecycleSettings;
}

/** The Pylantir config as the runner uses it. */
export interface PylantirSyncConfig {
  /** Absolute path of the Pylantir config file, for error messages. */
  readonly configPath: string;
  /** Absolute path of worklist.db. */
  readonly dbPath: string;
  readonly sources: readonly SourceSpec[];
  /** Things worth saying once about the config itself, e.g. that no source is enabled. */
  readonly warnings: readonly string[];
}
