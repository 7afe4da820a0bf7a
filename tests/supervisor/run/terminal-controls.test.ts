import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runBin, writeFixtureConfig } from '../../helpers/spawn-bin.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

test('control characters from a runner (stdout, an error message) reach the log and `history run` escaped: no raw ESC or CR, no forged line', async () => {
  const dir = await tempDir();
  const config = await writeFixtureConfig(dir, 'hostile-text.mjs', [], { restart: { maxAttempts: 1 } });
  const run = runBin(['run-once', '--config', config], { cwd: dir });
  assert.equal((await run.exit).code, 1, run.stderr());
  const log = run.stderr();
  assert.match(log, /READY \\u001b\[31mred\\u001b\[0m\\roverwritten\\u0007/, 'the stdout line, its controls written as escapes');
  assert.match(log, /why: source main: \[REDCAP_HTTP_ERROR\] REDCap refused: \\u001b\[2J\\n2026-01-01T00:00:00\.000Z info {2}FORGED/);
  assert.doesNotMatch(log, /[\u001b\r\u0007]/, 'no raw control character');
  assert.doesNotMatch(log, /^2026-01-01T00:00:00\.000Z info {2}FORGED/m, 'no forged line');
  for (const args of [['history', 'run', '1', '--config', config], ['history', 'runs', '--config', config]]) {
    const history = runBin(args, { cwd: dir });
    assert.equal((await history.exit).code, 0, history.stderr());
    assert.match(history.stdout(), /REDCap refused: \\u001b\[2J/);
    assert.doesNotMatch(history.stdout(), /[\u001b\r\u0007]/, `${args[1]}: no raw control character`);
  }
});
