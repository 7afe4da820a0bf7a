// The warn / emergency lines to draw: `--warn-mb` / `--emergency-mb`, else the limits stored on the run, else
// (files written before schema 2) what the run's memory alerts say, else the supervisor's defaults.
import type { Database } from '../../shared/sqlite.ts';
import { DEFAULTS } from '../config/defaults.ts';
import type { RunRow } from '../history/queries-runs.ts';
import { numberOption } from './args.ts';
import type { OptionValues } from './args.ts';

/** One run already read, or a time window that ends at `untilMs` (the latest run started by then counts). */
export type ThresholdScope = { readonly run: RunRow } | { readonly untilMs: number };

async function limitsRow(db: Database, scope: ThresholdScope): Promise<RunRow | undefined> {
  if ('run' in scope) return scope.run;
  // `SELECT *` works on every schema version; the limit columns are simply absent before schema 2.
  return db.get<RunRow>("SELECT * FROM runs WHERE started_at_ms <= ? AND status != 'skipped' ORDER BY started_at_ms DESC, id DESC LIMIT 1", [scope.untilMs]);
}

async function fromAlert(db: Database, kind: string, pattern: RegExp, scope: ThresholdScope): Promise<number | undefined> {
  const row = 'run' in scope
    ? await db.get<{ message: string }>('SELECT message FROM alerts WHERE kind = ? AND run_id = ? ORDER BY id DESC LIMIT 1', [kind, scope.run.id])
    : await db.get<{ message: string }>('SELECT message FROM alerts WHERE kind = ? AND at_ms <= ? ORDER BY at_ms DESC LIMIT 1', [kind, scope.untilMs]);
  const match = row ? pattern.exec(row.message) : null;
  return match ? Number(match[1]) : undefined;
}

export async function resolveThresholds(db: Database, values: OptionValues, scope: ThresholdScope): Promise<{ warnMb: number; emergencyMb: number }> {
  const { warnMb, emergencyMb } = DEFAULTS.memory;
  const stored = await limitsRow(db, scope);
  const warn = values['warn-mb'] !== undefined ? undefined
    : (stored?.warn_mb ?? (await fromAlert(db, 'memory-warn', /warning line (\d+(?:\.\d+)?) MB/, scope)));
  const emergency = values['emergency-mb'] !== undefined ? undefined
    : (stored?.emergency_mb ?? (await fromAlert(db, 'memory-emergency', /emergency limit (\d+(?:\.\d+)?) MB/, scope)));
  return {
    warnMb: warn ?? numberOption(values, 'warn-mb', warnMb),
    emergencyMb: emergency ?? numberOption(values, 'emergency-mb', emergencyMb),
  };
}
