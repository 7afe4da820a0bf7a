import { AppError } from '../../shared/errors/app-error.ts';
import type { SourceSpec } from '../config/source-spec.ts';
import type { RedcapCredentials } from '../credentials.ts';
import { requestedFields } from '../fields.ts';
import { openRedcapApiSource } from '../sources/redcap-api-source.ts';
import { createRedcapClient } from '../sources/redcap-client.ts';
import { openRedcapSnapshot } from '../sources/redcap-snapshot.ts';
import { SNAPSHOT_FIELDS, type SnapshotSource } from '../sources/snapshot-source.ts';
import type { OpenedSource } from '../sources/source.ts';
import { fingerprint, rangeBegin, readWatermark } from '../watermark.ts';

export interface OpenSourceContext {
  readonly dataDir: string;
  readonly dbPath: string;
  readonly signal: AbortSignal;
  /** Throws CREDENTIALS_INVALID; only called for sources that talk to REDCap. */
  readonly credentials: () => RedcapCredentials;
  readonly onRetry: (message: string) => void;
  /** The wall clock, to spot a watermark left in the future by a clock that was ahead. @default () => new Date() */
  readonly now?: () => Date;
}

export interface OpenedForSync {
  readonly source: OpenedSource;
  /** Set for incremental sources: the watermark to record once everything has committed. */
  readonly watermark?: { readonly fingerprint: string };
  readonly incremental: boolean;
  /** Reads the whole project's identifying fields, for the lifecycle step; called after the sync, only when due. */
  readonly openSnapshot: () => Promise<SnapshotSource>;
}

/** The snapshot is a whole project in one answer: it gets this many times a batch request's limit. */
const SNAPSHOT_TIMEOUT_FACTOR = 4;

/** Records per batch when a file is read again for its snapshot: only a few fields each, so big batches are cheap. */
const FILE_SNAPSHOT_BATCH = 5000;

// Picks the reader for a source's type; the only place that knows which types exist. `warn` takes what must be said
// even when the source then fails to open (e.g. that the token goes over plain http).
export async function openSource(spec: SourceSpec, ctx: OpenSourceContext, warn: (message: string) => void): Promise<OpenedForSync> {
  const requested = requestedFields(spec.fieldMapping);
  switch (spec.type) {
    case 'redcap': {
      const credentials = ctx.credentials();
      for (const warning of credentials.warnings ?? []) warn(warning);
      // Anything that changes which rows we would write makes the old watermark meaningless: start with a full import.
      const print = fingerprint({ url: credentials.url, requested, site: spec.site, protocol: spec.protocol, mapping: spec.fieldMapping, db: ctx.dbPath });
      const stored = await readWatermark(ctx.dataDir, spec.name, print);
      // A watermark in the future was written while the clock was ahead; trusting it would hide every change made
      // until the clock catches up, and the next watermark would then skip them for good. Do a full import instead.
      const future = stored !== undefined && Date.parse(stored.lastSuccessStart) > (ctx.now?.() ?? new Date()).getTime();
      const begin = rangeBegin(future ? undefined : stored, spec.overlapMinutes);
      const client = createRedcapClient({ credentials, timeoutMs: spec.requestTimeoutMs, maxAttempts: spec.maxAttempts, retryDelayMs: spec.retryDelayMs, signal: ctx.signal, onRetry: ctx.onRetry });
      const source = await openRedcapApiSource({ client, requested, batchSize: spec.batchSize, signal: ctx.signal, ...(begin === undefined ? {} : { dateRangeBegin: begin }) });
      const warnings = future ? [...source.warnings, `the last watermark (${stored?.lastSuccessStart}) is in the future: the clock moved back; doing a full import`] : source.warnings;
      const openSnapshot = () => openRedcapSnapshot({ credentials, idField: source.idField, timeoutMs: spec.requestTimeoutMs * SNAPSHOT_TIMEOUT_FACTOR, signal: ctx.signal });
      return { source: { ...source, warnings }, watermark: { fingerprint: print }, incremental: begin !== undefined, openSnapshot };
    }
    case 'redcap-export': {
      // The file readers (csv-parse, @streamparser/json, the reader thread) load only for a source that reads a file.
      const { openExportFileSource } = await import('../sources/redcap-export-file-source.ts');
      if (spec.path === undefined) throw new AppError('PYLANTIR_CONFIG_INVALID', `source "${spec.name}": config.path is required for type redcap-export`);
      const { path } = spec;
      const idColumn = spec.recordIdField === undefined ? {} : { recordIdField: spec.recordIdField };
      const source = await openExportFileSource({ path, requested, batchSize: spec.batchSize, signal: ctx.signal, ...idColumn });
      // The file is the whole project: its snapshot is the same file read again, for the identifying fields only.
      const openSnapshot = async (): Promise<SnapshotSource> => {
        const again = await openExportFileSource({ path, requested: [...SNAPSHOT_FIELDS], batchSize: FILE_SNAPSHOT_BATCH, signal: ctx.signal, ...idColumn });
        return { idField: again.idField, listedRecords: undefined, batches: again.batches };
      };
      return { source, incremental: false, openSnapshot };
    }
    case 'calpendo':
      throw new AppError('SOURCE_UNSUPPORTED', `source "${spec.name}": type calpendo is not supported by sync-runner (Pylantir's Calpendo plugin has no equivalent here); disable it or keep Pylantir's own sync for it`);
    default:
      throw new AppError('SOURCE_UNSUPPORTED', `source "${spec.name}": type "${spec.type}" is not supported; use redcap or redcap-export`);
  }
}
