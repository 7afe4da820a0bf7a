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
  /** One warning per run at this line. @default emergencyMb × 0.8 (400) */
  readonly warnMb: number;
  /** @default 500 */
  readonly emergencyMb: number;
  /** @default 3000 */
  readonly graceMs: number;
  /** SIGKILL at once above this: as the first signal, or cutting a grace period short. @default emergencyMb × 1.5 */
  readonly hardLimitMb: number;
  /**
   * How long the tree must stay at or over emergencyMb (continuously: one sample below restarts the wait) before it
   * is stopped; hardLimitMb still kills at once. @default 0 (at the first sample over the line)
   */
  readonly sustainMs: number;
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

/** A secret in the config: written inline, or `{ "env": "NAME" }` to read it from the environment at start. */
export type SecretRef = string | { readonly env: string };

export interface WebhookSinkConfig {
  /** Names the sink in the outbox and in `history alerts`. @default webhook-<n> */
  readonly name: string;
  readonly url: SecretRef;
  readonly headers: Readonly<Record<string, SecretRef>>;
  /** Only these alert kinds; every kind when absent. */
  readonly kinds?: readonly string[];
  /** `alertmanager`: the Alertmanager webhook v4 body. @default 'json' */
  readonly format: 'json' | 'alertmanager';
}

export interface CommandSinkConfig {
  /** @default command-<n> */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly kinds?: readonly string[];
  /** Its whole process group is stopped (SIGTERM, then SIGKILL) past this; the delivery is retried. @default alerts.timeoutMs */
  readonly timeoutMs: number;
}

export interface MailSinkConfig {
  readonly name: 'mail';
  readonly host: string;
  readonly port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. @default false */
  readonly secure: boolean;
  readonly from: string;
  readonly to: readonly string[];
  /** Names of the environment variables holding the SMTP user and password; no AUTH when absent. */
  readonly userEnv?: string;
  readonly passwordEnv?: string;
  readonly kinds?: readonly string[];
}

export interface AlertRetryConfig {
  /** First retry after this; doubles per attempt. @default 5000 */
  readonly backoffMs: number;
  /** @default 300000 */
  readonly backoffMaxMs: number;
  /** A delivery is marked failed after this many attempts… @default 50 */
  readonly maxAttempts: number;
  /** …or this long after its alert. @default 86400000 (24 h) */
  readonly maxAgeMs: number;
}

export interface AlertsConfig {
  readonly webhooks: readonly WebhookSinkConfig[];
  readonly commands: readonly CommandSinkConfig[];
  /** Dead man's switch pings (healthchecks.io style); off when absent. */
  readonly healthcheck?: { readonly url: SecretRef };
  readonly mail?: MailSinkConfig;
  /** Each delivery (request, command, mail) ends within this. @default 10000 */
  readonly timeoutMs: number;
  readonly retry: AlertRetryConfig;
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
  /** Where alerts are delivered beyond history.db and the log. */
  readonly alerts: AlertsConfig;
  /** Where the config came from, for messages: a file path or `built-in default`. */
  readonly origin: string;
  /** Settings left unset and derived from others, each with its rule, e.g. `memory.warnMb` → `80 % of memory.emergencyMb`. */
  readonly derived: Readonly<Record<string, string>>;
}
