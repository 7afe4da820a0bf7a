#!/usr/bin/env node
import '../shared/no-inspector-signal.ts';
import './memory/tune-heap.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './cli/run-cli.ts';

// The bin: the only place that touches process globals. Everything else is `runCli`.
const envFile = join(process.cwd(), '.env');
if (existsSync(envFile)) process.loadEnvFile(envFile);

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
