// Every alert sink's "what to do" works as printed: the real bin kills a leaking runner under run-once with a webhook
// (JSON and Alertmanager), a command, mail and a healthcheck configured; each hint they carry is then run through
// /bin/sh from / with cron's bare PATH, and must show that killed run. The hints name dist/, which `npm test` builds first.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { startAlertReceiver } from '../../fixtures/alert-receiver.ts';
import { fixture } from '../../helpers/harness.ts';
import { runBin, writeFixtureConfig } from '../../helpers/spawn-bin.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const sh = promisify(execFile);

/** A local SMTP relay that keeps each message's raw data. */
async function startSmtp(): Promise<{ port: number; messages: string[] }> {
  const messages: string[] = [];
  const smtp = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'], authOptional: true,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => smtp.close(() => resolve())));
  return { port: (smtp.server.address() as AddressInfo).port, messages };
}

/** nodemailer sends long lines quoted-printable: soft breaks and =XX escapes. */
function decodeQuotedPrintable(text: string): string {
  return text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The `…` command in a hint that shows a run. */
function runCommandIn(where: string, text: string): string {
  const command = /`([^`]* history run [^`]*)`/.exec(text)?.[1];
  assert.ok(command, `${where} names a history run command: ${text}`);
  return command;
}

test('each sink\'s hint, run as printed through /bin/sh from / with PATH=/usr/bin:/bin, shows the killed run', async () => {
  const dir = await tempDir();
  const receiver = await startAlertReceiver();
  after(() => receiver.close());
  const smtp = await startSmtp();
  const envFile = join(dir, 'alert-env.jsonl');
  const kinds = ['memory-emergency'];
  const config = await writeFixtureConfig(dir, 'leak.mjs', ['200'], {
    memory: { warnMb: 90, emergencyMb: 150, graceMs: 1000 }, restart: { maxAttempts: 1 },
    alerts: {
      webhooks: [{ name: 'json', url: `${receiver.origin}/hook`, kinds }, { name: 'am', url: `${receiver.origin}/am`, format: 'alertmanager', kinds }],
      commands: [{ command: process.execPath, args: [fixture('alert-env-to-file.mjs'), envFile], kinds }],
      mail: { host: '127.0.0.1', port: smtp.port, from: 'sync@example.org', to: ['mri-ops@example.org'], kinds },
      healthcheck: { url: `${receiver.origin}/ping` },
    },
  });
  const run = runBin(['run-once', '--config', config], { cwd: dir });
  assert.equal((await run.exit).code, 3, run.stderr());
  const runId = Number(/runner killed: .*; run (\d+);/.exec(run.stderr())?.[1]);
  assert.ok(runId > 0, run.stderr());

  const hook = JSON.parse((await receiver.waitFor((r) => r.path === '/hook')).body) as { action: string; runCommand: string };
  const am = JSON.parse((await receiver.waitFor((r) => r.path === '/am')).body) as { alerts: Array<{ annotations: { description: string } }> };
  const commandEnv = JSON.parse((await readFile(envFile, 'utf8')).trim()) as Record<string, string>;
  assert.equal(smtp.messages.length, 1, run.stderr());
  const mail = decodeQuotedPrintable(smtp.messages[0] ?? '');
  const fail = await receiver.waitFor((r) => r.path === '/ping/fail');

  const hints: Array<[string, string]> = [
    ['webhook action', runCommandIn('webhook action', hook.action)],
    ['webhook runCommand', hook.runCommand],
    ['alertmanager description', runCommandIn('alertmanager description', am.alerts[0]?.annotations.description ?? '')],
    ['SYNC_ALERT_ACTION', runCommandIn('SYNC_ALERT_ACTION', commandEnv.SYNC_ALERT_ACTION ?? '')],
    ['SYNC_ALERT_RUN_COMMAND', commandEnv.SYNC_ALERT_RUN_COMMAND ?? ''],
    ['mail "What to do"', runCommandIn('mail "What to do"', /^What to do: .*$/m.exec(mail)?.[0] ?? '')],
    ['mail run line', /^run: \d+ \((.*)\)$/m.exec(mail)?.[1] ?? ''],
    ['healthcheck /fail body', runCommandIn('healthcheck /fail body', fail.body)],
  ];
  for (const [where, command] of hints) {
    assert.ok(command.startsWith(`${process.execPath} `), `${where}: an absolute node: ${command}`);
    assert.ok(command.endsWith(`dist/supervisor/main.js history run ${runId} --config ${config}`), `${where}: main.js, the run, --config: ${command}`);
    const { stdout } = await sh('/bin/sh', ['-c', command], { cwd: '/', env: { PATH: '/usr/bin:/bin' } });
    assert.match(stdout, new RegExp(`^run ${runId}: killed \\(memory\\)`), `${where}: ${command}\n${stdout}`);
  }
});
