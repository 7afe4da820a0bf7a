// The warn / emergency lines to draw: `--warn-mb` / `--emergency-mb`, else what the run's alerts say, else 400 / 500.
// The runs table doesn't store the limits in force, but the supervisor's memory alerts name them in their message.
import type { Database } from '../../shared/sqlite.ts';
import { numberOption } from './args.ts';
import type { OptionValues } from './args.ts';

export const DEFAULT_WARN_MB = 400;
export const DEFAULT_EMERGENCY_MB = 500;

async function fromAlert(db: Database, kind: string, pattern: RegExp, filter: { runId?: number; untilMs: number }): Promise<number | undefined> {
  const row = filter.runId === undefined
    ? await db.get<{ message: string }>('SELECT message FROM alerts WHERE kind = ? AND at_ms <= ? ORDER BY at_ms DESC LIMIT 1', [kind, filter.untilMs])
    : await db.get<{ message: string }>('SELECT message FROM alerts WHERE kind = ? AND run_id = ? ORDER BY id DESC LIMIT 1', [kind, filter.runId]);
  const match = row ? pattern.exec(row.message) : null;
  return match ? Number(match[1]) : undefined;
}

export async function resolveThresholds(db: Database, values: OptionValues, filter: { runId?: number; untilMs: number }): Promise<{ warnMb: number; emergencyMb: number }> {
  const warn = values['warn-mb'] === undefined ? await fromAlert(db, 'memory-warn', /warning line (\d+(?:\.\d+)?) MB/, filter) : undefined;
  const emergency = values['emergency-mb'] === undefined ? await fromAlert(db, 'memory-emergency', /emergency limit (\d+(?:\.\d+)?) MB/, filter) : undefined;
  return {
    warnMb: warn ?? numberOption(values, 'warn-mb', DEFAULT_WARN_MB),
    emergencyMb: emergency ?? numberOption(values, 'emergency-mb', DEFAULT_EMERGENCY_MB),
  };
}
