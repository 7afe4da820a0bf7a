// Bench: the supervisor's side of the worklist journal at 100,000 changes in history.db — writing a message of 500,
// re-sending one already held, the journal-received variable, the start-up count, the status page's newest 20, and
// `history worklist`. The table is never pruned, so these are the costs after years of a busy site.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { MAX_CHANGES_PER_MESSAGE, WORKLIST_CHANGE_REASONS, type WorklistChange } from '../shared/protocol.ts';
import { runHistoryCli } from '../supervisor/history-cli/main.ts';
import { openHistoryForWrite } from '../supervisor/history/open-history.ts';
import { recentWorklistChanges } from '../supervisor/history/queries-worklist.ts';
import { countWorklistChangesByReason, readJournalReceived, writeWorklistChanges } from '../supervisor/history/worklist-changes.ts';

const TOTAL = 100_000;
const JOURNALS = 80;

function change(journal: number, seq: number, runId: number): WorklistChange {
  return {
    journalId: `journal-${String(journal).padStart(2, '0')}-0123456789abcdef`, seq, rowId: seq, patientId: `sub-${String(seq).padStart(6, '0')}_SITEA`,
    fromStatus: 'SCHEDULED', toStatus: 'CANCELED', reason: WORKLIST_CHANGE_REASONS[seq % WORKLIST_CHANGE_REASONS.length] ?? 'expired',
    source: 'mri_main', record: String(10_000 + seq), instance: String(seq % 3 + 1), runId, atMs: Date.now() - (TOTAL - seq) * 60_000,
  };
}

const percentile = (values: readonly number[], p: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? 0;
const round = (ms: number): number => Math.round(ms * 100) / 100;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: round(performance.now() - started), value };
}

export async function benchWorklistHistory(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'worklist-history-bench-'));
  const path = join(dir, 'history.db');
  const db = await openHistoryForWrite(path);
  try {
    const sizeBefore = statSync(path).size;
    // The bulk of the journal in one journal (a long-lived worklist.db), 500 per message, as the runner sends them.
    const writeMs: number[] = [];
    const main = Math.floor(TOTAL / MAX_CHANGES_PER_MESSAGE);
    for (let m = 0; m < main; m++) {
      const batch = Array.from({ length: MAX_CHANGES_PER_MESSAGE }, (_, i) => change(0, m * MAX_CHANGES_PER_MESSAGE + i + 1, m + 1));
      writeMs.push((await timed(() => writeWorklistChanges(db, batch, Date.now()))).ms);
    }
    // Older worklist files' journals (replaced worklist.db files), so the 64-journal bound is in play.
    for (let j = 1; j < JOURNALS; j++) await writeWorklistChanges(db, [change(j, 1, 1)], Date.now() - j);
    await db.get('PRAGMA wal_checkpoint(TRUNCATE)');
    const bytesPerChange = Math.round((statSync(path).size - sizeBefore) / (TOTAL + JOURNALS - 1));
    const resend = Array.from({ length: MAX_CHANGES_PER_MESSAGE }, (_, i) => change(0, TOTAL - MAX_CHANGES_PER_MESSAGE + i + 1, 1));
    const resent = await timed(() => writeWorklistChanges(db, resend, Date.now()));
    const received = await timed(() => readJournalReceived(db));
    const counted = await timed(() => countWorklistChangesByReason(db));
    const recent = await timed(() => recentWorklistChanges(db, 20));
    const cli = async (argv: string[]): Promise<number> => {
      const sink = new PassThrough();
      sink.resume();
      return (await timed(() => runHistoryCli([...argv, '--db', path], { stdout: sink, stderr: sink, env: { TZ: 'UTC' }, cwd: dir }))).ms;
    };
    const report = {
      changes: TOTAL + JOURNALS - 1,
      journals: JOURNALS,
      bytesPerChange,
      writeMessageOf500Ms: { median: percentile(writeMs, 0.5), p99: percentile(writeMs, 0.99), max: Math.max(...writeMs) },
      resendOf500AlreadyHeldMs: resent.ms,
      resendWroteNew: resent.value.length,
      journalReceivedMs: received.ms,
      journalReceivedEnvBytes: JSON.stringify(received.value).length,
      journalsReported: Object.keys(received.value).length,
      startupCountByReasonMs: counted.ms,
      statusNewest20Ms: recent.ms,
      cli: {
        worklistNewest100Ms: await cli(['worklist']),
        worklistRunMs: await cli(['worklist', '--run', '150']),
        worklistSince1dMs: await cli(['worklist', '--since', '1d']),
        worklistJson1000Ms: await cli(['worklist', '--json', '--limit', '1000']),
        runWithCountsMs: await cli(['run', '150']),
      },
    };
    console.log(JSON.stringify(report, null, 2));
    return report;
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchWorklistHistory();
