// REDCap answering 200 with a 40 MB `{"error": …}`, through the real supervisor and the bundled runner (dist/, built
// first): the text is cut in the runner (read no further than 64 KiB) and capped again by the supervisor, so the
// log, the run's row and the supervisor's memory stay small, and the run fails with REDCap's code.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { MAX_TEXT_BYTES } from '../../../shared/bounded-text.ts';
import type { ResultMessage } from '../../../shared/protocol.ts';
import { isAlive } from '../../../supervisor/process/process-identity.ts';
import { syntheticRecords } from '../../../examples/demo/synthetic-records.ts';
import { useRedcapSuite } from '../../helpers/redcap-suite.ts';
import { redcapConfig } from '../../helpers/runner-workspace.ts';
import { readHistory } from '../../helpers/harness.ts';
import { procStatusMb } from '../../helpers/proc-status.ts';
import { cronEnv } from '../../helpers/spawn-bin.ts';
import { spawnSupervisor } from '../../helpers/spawn-supervisor.ts';

const redcap = useRedcapSuite();
const PEAK_LIMIT_MB = 150;
/** The longest line the supervisor may log: a runner line is cut at 4 KiB, a summary quotes at most 2 KiB of error. */
const MAX_LOG_LINE = 8192;

test('a 40 MB REDCap error: the run fails with REDCAP_HTTP_ERROR, its text capped in the row and the log, the supervisor small and running', { timeout: 120_000 }, async (t) => {
  const ws = await redcap.workspace((w) => redcapConfig(w, { max_attempts: 1 }));
  redcap.server.setRecords(syntheticRecords(3, { seed: 22 }));
  redcap.server.fail({ mode: 'huge-error', content: 'record', errorText: 'The export failed: ', errorBytes: 40 * 1024 * 1024 });
  const config = join(ws.dir, 'supervisor.json');
  await writeFile(config, JSON.stringify({ sync: { pylantirConfig: ws.configPath }, dataDir: './state', restart: { maxAttempts: 1 }, schedule: { everyMs: 600000 } }));
  const sup = spawnSupervisor(['--config', config], { cwd: ws.dir, env: cronEnv(ws.dir, redcap.env()) });
  try {
    await sup.waitFor(/run 1 \(attempt 1\) failed/);
    const supervisorPid = sup.child.pid ?? 0;
    const peakMb = procStatusMb(supervisorPid, 'VmHWM');
    assert.equal(isAlive(supervisorPid), true, 'the supervisor keeps running');
    sup.child.kill('SIGTERM');
    assert.equal((await sup.exited()).code, 0, sup.output().slice(0, 20_000));
    t.diagnostic(`supervisor peak RSS (VmHWM) ${peakMb.toFixed(1)} MB`);
    assert.ok(peakMb < PEAK_LIMIT_MB, `supervisor peak RSS ${peakMb.toFixed(1)} MB, limit ${PEAK_LIMIT_MB} MB`);
  } finally {
    redcap.server.fail(undefined);
    if (sup.child.exitCode === null) sup.child.kill('SIGKILL');
  }
  const longest = Math.max(...sup.output().split('\n').map((line) => Buffer.byteLength(line)));
  assert.ok(longest <= MAX_LOG_LINE, `longest log line ${longest} bytes`);
  assert.match(sup.output(), /\| why: source main: \[REDCAP_HTTP_ERROR\] REDCap refused .*\(HTTP 200\): The export failed: x+… \(\d+ bytes cut\)/);
  const { runs } = await readHistory(join(ws.dir, 'state'));
  const [run] = runs;
  assert.deepEqual([run?.status, run?.exit_code], ['failed', 42]);
  assert.ok((run?.result_json ?? '').length < 16 * 1024, `result_json of ${run?.result_json?.length} characters`);
  const source = (JSON.parse(run?.result_json ?? '{}') as ResultMessage).sources[0];
  assert.equal(source?.error?.code, 'REDCAP_HTTP_ERROR');
  assert.ok(Buffer.byteLength(source?.error?.message ?? '') <= MAX_TEXT_BYTES, `error text of ${source?.error?.message.length} characters`);
});
