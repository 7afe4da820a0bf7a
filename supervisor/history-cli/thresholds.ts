// The warn / emergency lines to draw: `--warn-mb` / `--emergency-mb`, else the limits stored on the run, else
// (files written before schema 2) what the run's memory alerts say, else 400 / 500.
import type { Database } from '../../shared/sqlite.ts';
import type { RunRow } from '../history/queries-runs.ts';
import { numberOption } from './args.ts';
import type { OptionValues } from './args.ts';

export const DEFAULT_WARN_MB = 400;
export const DEFAULT_EMERGENCY_MB = 500;

interface ThresholdFilter {
  readonly runId?: number;
  readonly untilMs: number;
}

/** The run itself, or for a time window the latest run that started before its end. `SELECT *` works on every schema. */
async function limitsRow(db: Database, filter: ThresholdFilter): Promise<Partial<RunRow> | undefined> {
  return filter.runId === undefined
    ? db.get<RunRow>("SELECT * FROM runs WHERE started_at_ms <= ? AND status != 'skipped' ORDER BY started_at_ms DESC, id DESC LIMIT 1", [filter.untilMs])
    : db.get<RunRow>('SELECT * FROM runs WHERE id = ?', [filter.runId]);
}

async function fromAlert(db: Database, kind: string, pattern: RegExp, filter: ThresholdFilter): Promise<number | undefined> {
  const row = filter.runId === undefined
    ? await db.get<{ message: string }>('SELECT message FROM alerts WHERE kind = ? AND at_ms <= ? ORDER BY at_ms DESC LIMIT 1', [kind, filter.untilMs])
    : await db.get<{ message: string }>('SELECT message FROM alerts WHERE kind = ? AND run_id = ? ORDER BY id DESC LIMIT 1', [kind, filter.runId]);
  const match = row ? pattern.exec(row.message) : null;
  return match ? Number(match[1]) : undefined;
}

export async function resolveThresholds(db: Database, values: OptionValues, filter: ThresholdFilter): Promise<{ warnMb: number; emergencyMb: number }> {
  const stored = await limitsRow(db, filter);
  const warn = values['warn-mb'] !== undefined ? undefined
    : (stored?.warn_mb ?? (await fromAlert(db, 'memory-warn', /warning line (\d+(?:\.\d+)?) MB/, filter)));
  const emergency = values['emergency-mb'] !== undefined ? undefined
    : (stored?.emergency_mb ?? (await fromAlert(db, 'memory-emergency', /emergency limit (\d+(?:\.\d+)?) MB/, filter)));
  return {
    warnMb: warn ?? numberOption(values, 'warn-mb', DEFAULT_WARN_MB),
    emergencyMb: emergency ?? numberOption(values, 'emergency-mb', DEFAULT_EMERGENCY_MB),
  };
}
