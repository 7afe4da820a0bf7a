// What every fault case checks, in one place: both databases pass integrity_check, the worklist holds every
// expected row once, and no process of the case survives. Plus the FAULTS_FULL switch and a seeded PRNG.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from '../../shared/sqlite.ts';
import { isAlive } from '../../supervisor/process/process-identity.ts';
import { dumpWorklist, integrityCheck, STANDARD_MAPPING, type Workspace, type WorklistRow } from '../helpers/runner-workspace.ts';
import { goneWithin } from '../helpers/spawn-supervisor.ts';
import { programArgs } from '../helpers/entry-point.ts';

/** `npm run test:faults` sets FAULTS_FULL=1 for the counts; `npm test` runs the reduced form. */
export const FULL = process.env.FAULTS_FULL === '1';

/** The count for this mode. */
export const count = (full: number, reduced: number): number => (FULL ? full : reduced);

/** A seed printed with each case, so a failure can be replayed with FAULTS_SEED=N. */
export const SEED = Number(process.env.FAULTS_SEED ?? Date.now() % 100_000);

export { prng } from '../../examples/demo/synthetic-records.ts';

/** The real sync-runner, as a supervisor `runner` entry (built, or from source: tests/helpers/entry-point.ts). */
export function realRunner(env: Record<string, string>, cwd: string): { command: string; args: string[]; env: Record<string, string>; cwd: string } {
  return { command: process.execPath, args: programArgs('sync-runner', []), env, cwd };
}

/** A Pylantir config for the stand-in REDCap API. */
export function apiConfig(ws: Workspace, source: Record<string, unknown> = {}): unknown {
  return {
    db_path: ws.dbPath,
    data_sources: [{ name: 'main', type: 'redcap', enabled: true, sync_interval: 60, config: { site: 'uofc', protocol: { uofc: 'BRAIN_MRI' }, retry_delay_ms: 5, ...source }, field_mapping: STANDARD_MAPPING }],
  };
}

export async function assertIntegrity(dbPath: string, what: string): Promise<void> {
  assert.equal(await integrityCheck(dbPath), 'ok', `${what}: PRAGMA integrity_check on ${dbPath}`);
}

/** No two rows share (patient_id, patient_name): a kill or a retry never inserts a row twice. */
export async function assertNoDuplicates(dbPath: string): Promise<void> {
  const db = await Database.open(dbPath, { readonly: true });
  try {
    const dupes = await db.all<{ patient_id: string; n: number }>('SELECT patient_id, patient_name, count(*) AS n FROM worklist_items GROUP BY patient_id, patient_name HAVING n > 1');
    assert.deepEqual(dupes, [], `duplicate worklist keys in ${dbPath}`);
  } finally {
    await db.close();
  }
}

/** The worklist equals `expected` (a clean run's), ignoring row ids and the random study UIDs. */
export async function assertWorklistEquals(dbPath: string, expected: readonly WorklistRow[], what: string): Promise<void> {
  await assertIntegrity(dbPath, what);
  await assertNoDuplicates(dbPath);
  const rows = await dumpWorklist(dbPath);
  assert.equal(rows.length, expected.length, `${what}: row count`);
  assert.deepEqual(rows, expected, `${what}: worklist differs from a clean run's`);
}

/** Every worklist row is one a clean run could write (a failed sync may commit some batches, never a foreign row); returns the count. */
export async function assertRowsAreFrom(dbPath: string, clean: readonly WorklistRow[]): Promise<number> {
  const want = new Set(clean.map((r) => JSON.stringify(r)));
  const rows = await dumpWorklist(dbPath);
  for (const row of rows) assert.ok(want.has(JSON.stringify(row)), `a row that a clean run would not write: ${JSON.stringify(row)}`);
  return rows.length;
}

/** Pids of live processes whose environment or command line mentions `marker` (a case's unique temp dir). */
export function processesMentioning(marker: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const text = readFileSync(join('/proc', name, 'environ'), 'latin1') + readFileSync(join('/proc', name, 'cmdline'), 'latin1');
      if (text.includes(marker) && isAlive(pid)) found.push(pid);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/**
 * No process of the case is left after `deadlineMs`. These pids are not our children (they belong to the
 * supervisor under test), so there is no exit event to await: the bounded poll is the assertion.
 */
export async function assertNoSurvivors(marker: string, deadlineMs: number, what: string): Promise<void> {
  const left = processesMentioning(marker);
  const gone = await Promise.all(left.map((pid) => goneWithin(pid, deadlineMs, isAlive)));
  const survivors = left.filter((_, i) => !gone[i]);
  for (const pid of survivors) process.kill(pid, 'SIGKILL'); // do not leak into the next case
  assert.deepEqual(survivors, [], `${what}: process(es) still alive after ${deadlineMs} ms`);
}
