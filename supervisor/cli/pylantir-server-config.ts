// `pylantir-server-config --from PYLANTIR_CONFIG [--out FILE]`: the config for Pylantir's MWL server with its own
// sync off, printed or written atomically. The original is never overwritten: our runner reads it for its sources.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { AppError } from '../../shared/errors/app-error.ts';
import { resolveDbPath } from '../../shared/pylantir/db-path.ts';
import type { SupervisorConfig } from '../config/types.ts';
import { runnerHome } from '../pylantir/our-worklist.ts';
import { readJsonObject } from '../pylantir/read-json.ts';
import { sameFile } from '../pylantir/second-writer.ts';
import { serverConfig } from '../pylantir/server-config.ts';
import { shellWord } from '../history/history-command.ts';
import { writeFileAtomically } from './write-atomically.ts';

export interface ServerConfigIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export async function runPylantirServerConfig(from: string | undefined, out: string | undefined, config: SupervisorConfig, io: ServerConfigIo): Promise<number> {
  if (from === undefined) throw new AppError('USAGE', 'pylantir-server-config needs --from PYLANTIR_CONFIG: the file your `pylantir start --pylantir_config` reads');
  const fromPath = resolve(io.cwd, from);
  const read = await readJsonObject(fromPath);
  if (!read.ok) throw new AppError('PYLANTIR_CONFIG_UNUSABLE', `--from ${fromPath} ${read.why}`);
  const home = runnerHome(config, io.env);
  const dbPath = resolveDbPath(read.value.db_path, config.runner.cwd, home);
  const result = serverConfig(read.value, dbPath);
  const text = `${JSON.stringify(result.config, null, 2)}\n`;
  const outPath = out === undefined ? undefined : resolve(io.cwd, out);
  if (outPath !== undefined) {
    await refuseOriginal(outPath, fromPath, 'the --from file');
    await refuseOriginal(outPath, config.sync.pylantirConfig, `sync.pylantirConfig of ${config.origin}`);
    try {
      await writeFileAtomically(outPath, text, await modeFor(outPath, fromPath));
    } catch (error) {
      throw new AppError('OUTPUT_FAILED', `cannot write ${outPath}: ${(error as Error).message}`, { cause: error });
    }
  } else {
    io.stdout.write(text);
  }
  io.stderr.write(notes(read.value.db_path, dbPath, config.runner.cwd, home, result.sourcesDropped, result.removed, outPath));
  return 0;
}

/** Our runner reads the original for its sources: overwriting it with an empty source list would stop our sync too. */
async function refuseOriginal(outPath: string, original: string, what: string): Promise<void> {
  if (await sameFile(outPath, original)) {
    throw new AppError('USAGE', `--out ${outPath} is ${what}: it holds the sources sync-supervisor's runner syncs, and writing the server's config over it would lose them. Give --out a new file (e.g. next to it, *.server.json)`);
  }
}

/** An existing --out keeps its mode; a new one gets the original's, which Pylantir's user can already read. */
async function modeFor(outPath: string, fromPath: string): Promise<number> {
  const existing = await stat(outPath).catch(() => undefined);
  return ((existing ?? (await stat(fromPath))).mode & 0o777) & ~0o111;
}

function notes(raw: unknown, dbPath: string, cwd: string, home: string, dropped: number, removed: readonly string[], outPath: string | undefined): string {
  const resolved = raw === dbPath ? '' : ` (from ${raw === undefined ? "Pylantir's default ~/Desktop/worklist.db" : JSON.stringify(raw)}, resolved as the runner resolves it: against runner.cwd ${cwd}, ~ = ${home}; check it is the file Pylantir serves)`;
  const lines = [
    `db_path ${dbPath}${resolved}`,
    `data_sources: ${dropped} source(s) replaced by [] (Pylantir then logs "No enabled data sources found in configuration" and serves the worklist only)`,
    ...(removed.length > 0 ? [`removed the legacy sync keys: ${removed.join(', ')}`] : []),
    'every other key kept as it was',
    ...(outPath === undefined ? [] : [`wrote ${outPath}; start Pylantir with: pylantir start --pylantir_config ${shellWord(outPath)}`]),
  ];
  return lines.map((line) => `pylantir-server-config: ${line}\n`).join('');
}
