// The supervisor's side of the worklist journal, with the real supervisor and a fixture runner: changes land in
// history once, the next runner is told what history holds (gaps included), and a refused pass raises its alert.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { Database } from '../../../shared/sqlite.ts';
import { closeLogger } from '../../../shared/logger.ts';
import { Supervisor } from '../../../supervisor/supervisor.ts';
import { capturedLogger, fixtureConfig, readHistory } from '../../helpers/harness.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

interface Scenario {
  readonly journals?: Record<string, { commit?: number; omit?: number[] }>;
  readonly batch?: number;
  readonly resendAll?: boolean;
  readonly atMs?: number;
  readonly lifecycle?: unknown;
}

/** A supervisor over the journal fixture; `tick(scenario)` runs one tick with it and returns what the runner was told. */
async function journalSupervisor() {
  const dir = await tempDir();
  const scenarioPath = join(dir, 'scenario.json');
  const config = await fixtureConfig('worklist-journal-runner.mjs', [scenarioPath], { restart: { maxAttempts: 1 } });
  const { logger, lines } = capturedLogger();
  const supervisor = new Supervisor({ config, logger });
  await supervisor.start();
  const tick = async (scenario: Scenario): Promise<string> => {
    await writeFile(scenarioPath, JSON.stringify(scenario));
    const before = lines.length;
    const outcome = await supervisor.triggerTick();
    assert.equal(outcome.status, 'ok', lines.join('\n'));
    const told = lines.slice(before).map((l) => /JOURNAL_RECEIVED (\S+)/.exec(l)?.[1]).find((v) => v !== undefined);
    assert.ok(told !== undefined, lines.join('\n'));
    return told;
  };
  const stop = async (): Promise<void> => {
    await supervisor.stop();
    await closeLogger(logger);
  };
  return { config, supervisor, lines, tick, stop };
}

async function changesIn(dataDir: string): Promise<Array<{ journal_id: string; seq: number; run_id: number | null; reason: string }>> {
  const db = await Database.open(join(dataDir, 'history.db'), { readonly: true });
  try {
    return await db.all('SELECT journal_id, seq, run_id, reason FROM worklist_changes ORDER BY journal_id, seq');
  } finally {
    await db.close();
  }
}

const seqs = (rows: ReadonlyArray<{ journal_id: string; seq: number }>, journal: string): number[] => rows.filter((r) => r.journal_id === journal).map((r) => r.seq);

test('changes land in history once, even when the runner re-sends them, and the next runner is told what history holds', async () => {
  const h = await journalSupervisor();
  try {
    // Run 1: five changes committed, sent two per message. History held nothing: the runner is told so.
    assert.equal(await h.tick({ journals: { j1: { commit: 5 } }, batch: 2 }), '{}');
    let rows = await changesIn(h.config.dataDir);
    assert.deepEqual(seqs(rows, 'j1'), [1, 2, 3, 4, 5]);
    assert.ok(rows.every((r) => r.run_id === 1), 'each change keeps the run that committed it');
    // Run 2: told 5; two more committed, and the runner re-sends everything anyway: each change is written once.
    assert.deepEqual(JSON.parse(await h.tick({ journals: { j1: { commit: 2 } }, resendAll: true, batch: 3 })), { j1: 5 });
    rows = await changesIn(h.config.dataDir);
    assert.deepEqual(seqs(rows, 'j1'), [1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(rows.filter((r) => r.seq >= 6).map((r) => r.run_id), [2, 2]);
    assert.ok(h.lines.some((l) => /run 2: worklist status changes: 2 written, 5 already in history/.test(l)), h.lines.join('\n'));
  } finally {
    await h.stop();
  }
});

test('a gap keeps the watermark below it until the missing change arrives; a journal missing seq 1 is told 0', async () => {
  const h = await journalSupervisor();
  try {
    assert.equal(await h.tick({ journals: { j1: { commit: 7 } } }), '{}');
    // Run 2: 8, 9, 10 committed, but 8's message is lost; a new journal whose first entry is lost too.
    assert.deepEqual(JSON.parse(await h.tick({ journals: { j1: { commit: 3, omit: [8] }, j2: { commit: 2, omit: [1] } } })), { j1: 7 });
    assert.deepEqual(seqs(await changesIn(h.config.dataDir), 'j1'), [1, 2, 3, 4, 5, 6, 7, 9, 10]);
    // Run 3 is told 7 for j1 (9 and 10 are in, but 8 is not) and 0 for j2, so it re-sends 8–10 and 1–2.
    assert.deepEqual(JSON.parse(await h.tick({})), { j1: 7, j2: 0 });
    const rows = await changesIn(h.config.dataDir);
    assert.deepEqual(seqs(rows, 'j1'), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(seqs(rows, 'j2'), [1, 2]);
    // Run 4: history holds both journals whole.
    assert.deepEqual(JSON.parse(await h.tick({})), { j1: 10, j2: 2 });
  } finally {
    await h.stop();
  }
});

test('a refused lifecycle pass raises a critical worklist-cancel-refused alert with the counts', async () => {
  const h = await journalSupervisor();
  try {
    const refused = { code: 'LIFECYCLE_CANCEL_REFUSED', message: 'would hide 40 % of the visible rows (max_cancel_fraction 0.2)', wouldHide: 40, visible: 100 };
    await h.tick({ lifecycle: { dryRun: false, changed: {}, kept: 0, visible: 100, snapshotRecords: 120, refused } });
    await h.tick({ lifecycle: { dryRun: false, changed: { expired: 1 }, kept: 1, visible: 99, snapshotRecords: 120 } });
  } finally {
    await h.stop();
  }
  const { alerts } = await readHistory(h.config.dataDir);
  const refusals = alerts.filter((a) => a.kind === 'worklist-cancel-refused');
  assert.equal(refusals.length, 1, 'one alert, for the refused pass only');
  const [alert] = refusals;
  assert.equal(alert?.level, 'critical');
  assert.equal(alert?.run_id, 1);
  assert.match(alert?.message ?? '', /^worklist cancel refused for source mri_main: LIFECYCLE_CANCEL_REFUSED, would hide 40 of 100 visible rows \(would hide 40 % .*\); nothing was hidden.*run 1; see `.* history run 1 /);
});
