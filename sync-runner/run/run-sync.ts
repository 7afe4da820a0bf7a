import { catalogueEntry } from '../../shared/errors/catalogue.ts';
import type { ProgressMessage, SourceResult } from '../../shared/protocol.ts';
import { loadPylantirConfig } from '../config/pylantir-config.ts';
import { openWorklist } from '../worklist/worklist-schema.ts';
import type { RedcapCredentials } from '../credentials.ts';
import { exitCodeFor } from './exit-code.ts';
import type { RunLog } from './run-log.ts';
import { SourceTally } from './source-tally.ts';
import { syncSource } from './sync-source.ts';

export interface RunSyncOptions {
  readonly pylantirConfig: string;
  readonly dataDir: string;
  /** Where a relative db_path resolves, as for Pylantir. */
  readonly cwd: string;
  readonly signal: AbortSignal;
  readonly credentials: () => RedcapCredentials;
  readonly log: RunLog;
  readonly progress: (message: ProgressMessage) => void;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

export interface RunSyncOutcome {
  readonly sources: readonly SourceResult[];
  readonly exitCode: number;
}

// The whole run as a story: read the config, open the worklist, sync each enabled source in turn, report.
// Config and database errors end the run (thrown AppError); a source's failure is its own and the next one still runs.
export async function runSync(options: RunSyncOptions): Promise<RunSyncOutcome> {
  const config = await loadPylantirConfig(options.pylantirConfig, { cwd: options.cwd });
  for (const warning of config.warnings) options.log.warn(warning);
  const enabled = config.sources.filter((s) => s.enabled);
  const sources: SourceResult[] = [];
  if (enabled.length === 0) return { sources, exitCode: 0 };
  const db = await openWorklist(config.dbPath);
  try {
    for (const spec of enabled) {
      if (options.signal.aborted) {
        sources.push(new SourceTally().toResult(spec.name, 'skipped', 0, { reason: 'not started: the runner was interrupted' }));
        continue;
      }
      const result = await syncSource(spec, {
        db,
        dbPath: config.dbPath,
        dataDir: options.dataDir,
        signal: options.signal,
        credentials: options.credentials,
        now: options.now ?? (() => new Date()),
        log: options.log,
        progress: options.progress,
        onRetry: (message) => options.log.warn(`source ${spec.name}: ${message}`),
      });
      logResult(options.log, result);
      sources.push(result);
    }
  } finally {
    await db.close().catch(() => undefined);
  }
  // Interrupted before a source started, every result may read "skipped"; the run still did not finish.
  return { sources, exitCode: options.signal.aborted ? catalogueEntry('RUNNER_INTERRUPTED').exitCode : exitCodeFor(sources) };
}

function logResult(log: RunLog, r: SourceResult): void {
  const counts = { fetched: r.fetched, mriRows: r.mriRows, inserted: r.inserted, updated: r.updated, unchanged: r.unchanged, skipped: r.skipped, durationMs: r.durationMs };
  if (r.status === 'failed') log.error(`source ${r.name} failed: [${r.error?.code}] ${r.error?.message}`, counts);
  else if (r.status === 'skipped') log.info(`source ${r.name} skipped: ${r.reason}`);
  else log.info(`source ${r.name} ok`, counts);
  for (const warning of r.warnings) log.warn(`source ${r.name}: ${warning}`);
}
