// The real built bin, killing a leaking runner on a schedule, while its webhooks and healthcheck answer with an endless
// body or a gzip bomb. Each answer is read to 16 KiB and cut, nothing is inflated, the cap is logged once per sink and
// kept on each delivery row, and the supervisor stays small (peak RSS from /proc) and keeps killing.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Database } from '../../../shared/sqlite.ts';
import { startHostileAnswers } from '../../fixtures/hostile-answers.ts';
import { fixture, MB } from '../../helpers/harness.ts';
import { peakRssBytes } from '../../helpers/proc-status.ts';
import { spawnSupervisor } from '../../helpers/spawn-supervisor.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

test('endless and gzip-bomb answers from webhooks and the healthcheck: read to the cap, supervisor under 150 MB, kills go on', { timeout: 90_000 }, async () => {
  // Enough to take an uncapped client far past 150 MB, little enough that the machine survives one.
  const hostile = await startHostileAnswers({ endlessBytes: 256 * MB, bombInflatedBytes: 320 * MB });
  after(() => hostile.close());
  assert.ok(hostile.bombWireBytes < 1 * MB, `the bomb is ${hostile.bombWireBytes} bytes on the wire`);
  const dir = await tempDir();
  const configPath = join(dir, 'supervisor.json');
  await writeFile(configPath, JSON.stringify({
    schedule: { everyMs: 2000 },
    runner: { command: process.execPath, args: [fixture('leak.mjs'), '200'] },
    memory: { warnMb: 90, emergencyMb: 150, graceMs: 1000 },
    restart: { maxAttempts: 1 },
    dataDir: join(dir, 'data'),
    alerts: {
      webhooks: [
        { name: 'endless', url: `${hostile.origin}/endless/hook`, kinds: ['memory-emergency'] },
        { name: 'bomb', url: `${hostile.origin}/bomb/hook`, kinds: ['memory-emergency'] },
      ],
      healthcheck: { url: `${hostile.origin}/bomb/ping` },
    },
  }));
  const supervisor = spawnSupervisor(['--config', configPath], { cwd: dir, built: true });
  const pid = supervisor.child.pid ?? 0;

  await hostile.waitFor('endless', 1);
  await hostile.waitFor('bomb', 3);
  // Two more kills after the first hostile answers: the memory watch and the kill path are untouched by them.
  const killsSoFar = supervisor.output().match(/runner killed: tree RSS/g)?.length ?? 0;
  await supervisor.waitFor(new RegExp(`(runner killed: tree RSS[\\s\\S]*){${killsSoFar + 2}}`));
  const peak = await peakRssBytes(pid);
  assert.ok(peak < 150 * MB, `supervisor peak RSS ${(peak / MB).toFixed(1)} MB`);
  await supervisor.waitFor(/alert sink endless: the answer's body passed 16 KiB and was cut there/);
  await supervisor.waitFor(/alert sink bomb: the answer's body passed 16 KiB and was cut there/);
  await supervisor.waitFor(/healthcheck: the answer's body passed 16 KiB and was cut there/);

  supervisor.child.kill('SIGTERM');
  const { code } = await supervisor.exited();
  assert.equal(code, 0, supervisor.output());
  const output = supervisor.output();
  for (const sink of ['alert sink endless', 'alert sink bomb', 'healthcheck']) {
    assert.equal(output.split(`${sink}: the answer's body passed`).length - 1, 1, `${sink}: the cap is logged once`);
  }

  const db = await Database.open(join(dir, 'data', 'history.db'), { readonly: true });
  const rows = await db.all<{ sink: string; state: string; attempts: number; last_error: string | null }>('SELECT sink, state, attempts, last_error FROM alert_deliveries ORDER BY id');
  await db.close();
  const settled = rows.filter((r) => r.state !== 'pending');
  assert.ok(settled.length >= 2, JSON.stringify(rows));
  for (const row of settled) {
    // A 200 is the receiver's word that it took the alert; the body past the cap is not read, and the row says so.
    assert.equal(row.state, 'delivered', JSON.stringify(row));
    assert.equal(row.attempts, 1, JSON.stringify(row));
    assert.match(row.last_error ?? '', /^delivered; the answer's body passed 16 KiB and was cut there/);
  }
});
