// The pylantir-sync-running alert's rhythm, on an injected clock: at start, then at most once per recheck interval
// (looked at after a run, never on a timer of its own), and only while the process is still there.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closeLogger } from '../../../shared/logger.ts';
import { Supervisor } from '../../../supervisor/supervisor.ts';
import { createSecondWriterPlugin } from '../../../supervisor/pylantir/second-writer-plugin.ts';
import type { PylantirFinding } from '../../../supervisor/pylantir/second-writer.ts';
import { capturedLogger, fixtureConfig, readHistory } from '../../helpers/harness.ts';

const HOUR = 60 * 60_000;

test('pylantir-sync-running: raised at start, again only after the recheck interval, and not once the process is gone', async () => {
  const config = await fixtureConfig('ok-runner.mjs', []);
  let clock = Date.parse('2026-06-01T08:00:00Z');
  let present = true;
  const looked: string[] = [];
  const finding = (dbPath: string): PylantirFinding => ({
    pid: 4242, commandLine: '/usr/bin/python3 /usr/local/bin/pylantir start --pylantir_config /etc/pylantir/mwl_config.json', sameWorklist: true,
    target: { kind: 'syncs', configPath: '/etc/pylantir/mwl_config.json', dbPath, why: 'it has 1 enabled source(s)' },
  });
  const plugin = createSecondWriterPlugin({
    env: {}, recheckMs: HOUR,
    find: async (dbPath) => {
      looked.push(new Date(clock).toISOString());
      return present ? [finding(dbPath)] : [];
    },
  });
  const { logger } = capturedLogger();
  const supervisor = new Supervisor({ config, logger, plugins: [plugin], now: () => clock });
  await supervisor.start();
  assert.equal(looked.length, 1, 'looked at start');
  await supervisor.triggerTick();
  clock += HOUR - 1;
  await supervisor.triggerTick();
  assert.equal(looked.length, 1, 'not again within the hour');
  clock += 1;
  await supervisor.triggerTick();
  assert.equal(looked.length, 2, 'again once the hour is up');
  present = false;
  clock += HOUR;
  await supervisor.triggerTick();
  assert.equal(looked.length, 3);
  await supervisor.stop();
  await closeLogger(logger);
  const { alerts } = await readHistory(config.dataDir);
  const raised = alerts.filter((a) => a.kind === 'pylantir-sync-running');
  assert.equal(raised.length, 2);
  assert.ok(raised.every((a) => a.level === 'critical' && /Pylantir pid 4242 \(config \/etc\/pylantir\/mwl_config\.json\)/.test(a.message)));
});
