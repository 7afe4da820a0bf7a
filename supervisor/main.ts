#!/usr/bin/env node
import '../shared/no-inspector-signal.ts';
import './memory/tune-heap.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './cli/run-cli.ts';

// The bin: the only place that touches process globals. Everything else is `runCli`.
const envFile = join(process.cwd(), '.env');
if (existsSync(envFile)) process.loadEnvFile(envFile);

// A reader that went away (`supervise … | tee log` after Ctrl-C, a closed ssh session) must never stop the
// supervisor: EPIPE on the console is not an internal error. Console lines are dropped from then on; the file log in
// dataDir/logs keeps every line, and run-cli notes there that the console went away.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

let killChildNow: (() => void) | undefined;
process.on('exit', () => killChildNow?.());
process.on('uncaughtException', (error) => {
  process.stderr.write(`sync-supervisor: internal error: ${error.stack ?? String(error)}\n`);
  killChildNow?.();
  process.exit(70);
});

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  signals: process,
  onSupervisorStarted: (kill) => (killChildNow = kill),
  historyCli: async (argv, io) => (await import('./history-cli/main.ts')).runHistoryCli(argv, io),
});
process.exitCode = code;
// Anything a plugin forgot to release must not keep a finished CLI alive; unref lets a clean exit win.
setTimeout(() => process.exit(code), 2000).unref();
