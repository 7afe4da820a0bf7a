// Fault: a plugin whose stop() fails. The failure is logged with the plugin's name, and the shutdown goes on: the
// other plugins stop, the history closes and the lock is released.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { closeLogger } from '../../shared/logger.ts';
import type { SupervisorPlugin } from '../../supervisor/plugin.ts';
import { Supervisor } from '../../supervisor/supervisor.ts';
import { capturedLogger, fixtureConfig } from '../helpers/harness.ts';

/** A plugin whose stop() throws at once, as one that reads a handle its start never set would. */
function breaksOnStop(): SupervisorPlugin {
  const handles = new Map<string, { close(): Promise<void> }>();
  return {
    name: 'breaks-on-stop',
    stop() {
      const server = handles.get('server');
      if (!server) throw new TypeError('no server to close');
      return server.close();
    },
  };
}

/** A plugin whose stop() rejects after a while, as one whose flush fails. */
function rejectsOnStop(): SupervisorPlugin {
  return { name: 'rejects-on-stop', stop: () => Promise.reject(new Error('cannot flush its queue')) };
}

test('a plugin whose stop() throws or rejects is logged by name; the others stop, the history closes, the lock goes', async () => {
  const config = await fixtureConfig('ok-runner.mjs', []);
  const { logger, lines } = capturedLogger();
  let stoppedFine = false;
  const fine: SupervisorPlugin = { name: 'stops-fine', stop: async () => void (stoppedFine = true) };
  // Plugins stop in reverse order, so both broken ones stop before the fine one.
  const supervisor = new Supervisor({ config, logger, plugins: [fine, rejectsOnStop(), breaksOnStop()] });
  await supervisor.start();
  await supervisor.stop();
  await closeLogger(logger);
  assert.ok(lines.some((l) => /error.*plugin breaks-on-stop failed to stop: no server to close/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /error.*plugin rejects-on-stop failed to stop: cannot flush its queue/.test(l)), lines.join('\n'));
  assert.equal(stoppedFine, true, 'the plugins after a broken one still stop');
  assert.equal(supervisor.state, 'stopped');
  assert.ok(!existsSync(join(config.dataDir, 'supervisor.lock')), 'the lock is released');
});
