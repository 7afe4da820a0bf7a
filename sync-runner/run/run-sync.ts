import { catalogueEntry } from '../../shared/errors/catalogue.ts';
import type { ProgressMessage, SourceResult, WorklistChangesMessage } from '../../shared/protocol.ts';
import { loadPylantirConfig } from '../config/pylantir-config.ts';
import { journalIdOf } from '../worklist/lifecycle-tables.ts';
import { openWorklist } from '../worklist/worklist-schema.ts';
import type { RedcapCredentials } from '../credentials.ts';
import { exitCodeFor } from './exit-code.ts';
import { resendJournal } from './journal-resend.ts';
import type { RunLog } from './run-log.ts';
import { NO_COUNTS, toSourceResult } from './source-counts.ts';
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
  /** Sends committed worklist status changes to the supervisor; awaited, so they go out in order. @default drops them */
  readonly report?: (message: WorklistChangesMessage) => Promise<void>;
  /** What history already holds of each journal (SYNC_SUPERVISOR_JOURNAL_RECEIVED). @default nothing */
  readonly journalReceived?: ReadonlyMap<string, number>;
  /** The supervisor's run id, for the journal. @default null (the runner runs alone) */
  readonly runId?: number | null;
  /** The local date expiry counts from; tests inject it. @default today's local date */
  readonly today?: string;
}

const localDate = (date: Date) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

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
    const journalId = await journalIdOf(db);
    const report = options.report ?? (async () => undefined);
    await resendJournal(db, journalId, options.journalReceived ?? new Map(), report, options.log);
    const now = options.now ?? (() => new Date());
    for (const spec of enabled) {
      if (options.signal.aborted) {
        sources.push(toSourceResult(spec.name, 'skipped', 0, NO_COUNTS, [], { reason: 'not started: the runner was interrupted' }));
        continue;
      }
      const result = await syncSource(spec, {
        db,
        dbPath: config.dbPath,
        dataDir: options.dataDir,
        signal: options.signal,
        credentials: options.credentials,
        now,
        log: options.log,
        progress: options.progress,
        journalId,
        runId: options.runId ?? null,
        today: options.today ?? localDate(now()),
        report,
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
  if (r.lifecycle !== undefined) log.info(`source ${r.name} lifecycle${r.lifecycle.dryRun ? ' (dry run)' : ''}${r.lifecycle.refused ? ` refused [${r.lifecycle.refused.code}]` : ''}`, { changed: JSON.stringify(r.lifecycle.changed), kept: r.lifecycle.kept, visible: r.lifecycle.visible, snapshotRecords: r.lifecycle.snapshotRecords });
}
