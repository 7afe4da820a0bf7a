// What every history command receives: the open database, its parsed options and where to write.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Database } from '../../shared/sqlite.ts';
import type { OptionValues } from './args.ts';
import type { SupervisorConfig } from '../config/types.ts';

export interface HistoryCliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** @default Date.now — tests pin it for `--since`. */
  readonly now?: () => number;
}

export interface CommandContext {
  readonly db: Database;
  readonly dbPath: string;
  readonly values: OptionValues;
  readonly positionals: readonly string[];
  readonly io: HistoryCliIo;
  readonly nowMs: number;
  readonly json: boolean;
  /** Formats an epoch-ms time in the operator's zone. */
  readonly time: (ms: number | null) => string;
  /** The supervisor's config, when `--config` named it: its trend rule and time zone apply. */
  readonly config?: SupervisorConfig;
}

/** Writes and waits for drain when the stream asks, so a large export never buffers in memory. */
export async function write(stream: Writable, text: string): Promise<void> {
  // An error that came while nobody waited is kept on the stream; surface it instead of writing into the void.
  if (stream.errored) throw stream.errored;
  if (!stream.write(text)) await once(stream, 'drain');
}

export async function writeJson(stream: Writable, value: unknown): Promise<void> {
  await write(stream, `${JSON.stringify(value, null, 2)}\n`);
}
