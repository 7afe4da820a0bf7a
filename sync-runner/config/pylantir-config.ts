import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { AppError } from '../../shared/errors/app-error.ts';
import { expandPath, resolveDbPath } from '../../shared/pylantir/db-path.ts';
import { describeSchemaError } from '../../shared/schema-errors.ts';
import type { RawDataSource, RawLifecycle, RawPylantirConfig } from './pylantir-schema.ts';
import { pylantirValidator } from './pylantir-validator.ts';
import { LIFECYCLE_DEFAULTS, SOURCE_DEFAULTS, type LifecycleSettings, type PylantirSyncConfig, type SourceSpec } from './source-spec.ts';

const LEGACY_SOURCE_NAME = 'redcap_legacy';


export interface LoadConfigOptions {
  /** Resolves a relative db_path, as Pylantir does against its working directory. */
  readonly cwd: string;
  /** @default os.homedir() */
  readonly home?: string;
}

// Reads and validates a Pylantir config file, in either form, into the runner's view of it.
export async function loadPylantirConfig(path: string, options: LoadConfigOptions): Promise<PylantirSyncConfig> {
  const configPath = resolve(options.cwd, path);
  const fail = (message: string, cause?: unknown) => new AppError('PYLANTIR_CONFIG_INVALID', `Pylantir config ${configPath}: ${message}`, { cause });
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (error) {
    throw fail(`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, error);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw fail(`is not valid JSON (${(error as Error).message})`, error);
  }
  const validate = pylantirValidator();
  if (!validate(parsed)) {
    const error = validate.errors?.find((e) => e.keyword === 'anyOf') ?? validate.errors?.[0];
    // The schema's one anyOf is `protocol`: a protocol name, or one per site.
    throw fail(describeSchemaError(error, parsed, { alternatives: 'a string or an object of strings' }));
  }
  const home = options.home ?? homedir();
  const dbPath = resolveDbPath(parsed.db_path, options.cwd, home);
  const rawSources = parsed.data_sources ?? legacySources(parsed);
  const sources = rawSources.map((raw) => toSourceSpec(raw, dirname(configPath), home));
  const names = new Set<string>();
  for (const source of sources) {
    if (names.has(source.name)) throw fail(`data_sources has two sources named "${source.name}"; names key the sync state, so they must differ`);
    names.add(source.name);
  }
  const warnings = sources.some((s) => s.enabled) ? [] : ['no enabled data source: nothing to sync'];
  rawSources.forEach((raw, i) => {
    if (sources[i]?.enabled && raw.config?.site === undefined) {
      warnings.push(`source "${raw.name}" has no site: its patient ids end in "_site_None", as Pylantir writes them; set the site code in its config (or "site" for redcap2wl)`);
    }
  });
  return { configPath, dbPath, sources, warnings };
}

function legacySources(raw: RawPylantirConfig): RawDataSource[] {
  if (raw.redcap2wl === undefined) return [];
  const config = { ...(raw.site === undefined ? {} : { site: raw.site }), ...(raw.protocol === undefined ? {} : { protocol: raw.protocol }) };
  const window = raw.operation_interval === undefined ? {} : { operation_interval: raw.operation_interval };
  return [{ name: LEGACY_SOURCE_NAME, type: 'redcap', enabled: true, ...window, config, field_mapping: raw.redcap2wl }];
}

function toSourceSpec(raw: RawDataSource, configDir: string, home: string): SourceSpec {
  const config = raw.config ?? {};
  const interval = raw.operation_interval;
  return {
    name: raw.name,
    type: raw.type,
    enabled: raw.enabled ?? true,
    ...(interval === undefined ? {} : { window: { start: interval.start_time, end: interval.end_time } }),
    site: config.site === undefined ? 'None' : String(config.site),
    protocol: config.protocol,
    fieldMapping: raw.field_mapping ?? {},
    // The export file is ours, not Pylantir's: it sits next to the config, wherever the runner starts.
    ...(config.path === undefined ? {} : { path: expandPath(config.path, configDir, home) }),
    ...(config.record_id_field === undefined ? {} : { recordIdField: config.record_id_field }),
    batchSize: config.batch_size ?? SOURCE_DEFAULTS.batchSize,
    requestTimeoutMs: config.request_timeout_ms ?? SOURCE_DEFAULTS.requestTimeoutMs,
    maxAttempts: config.max_attempts ?? SOURCE_DEFAULTS.maxAttempts,
    retryDelayMs: config.retry_delay_ms ?? SOURCE_DEFAULTS.retryDelayMs,
    overlapMinutes: config.overlap_minutes ?? SOURCE_DEFAULTS.overlapMinutes,
    lifecycle: toLifecycle(config.lifecycle),
  };
}

function toLifecycle(raw: RawLifecycle = {}): LifecycleSettings {
  return {
    cancelRemoved: raw.cancel_removed ?? LIFECYCLE_DEFAULTS.cancelRemoved,
    expireAfterDays: raw.expire_after_days ?? LIFECYCLE_DEFAULTS.expireAfterDays,
    maxCancelFraction: raw.max_cancel_fraction ?? LIFECYCLE_DEFAULTS.maxCancelFraction,
    dryRun: raw.dry_run ?? LIFECYCLE_DEFAULTS.dryRun,
    snapshotEveryMinutes: raw.snapshot_every_minutes ?? LIFECYCLE_DEFAULTS.snapshotEveryMinutes,
  };
}
