// The warn / emergency lines to draw: `--warn-mb` / `--emergency-mb`, else the limits stored on the run, else (files
// written before schema 2) the supervisor's defaults. Never read back out of alert text: messages are for people.
import type { Database } from '../../shared/sqlite.ts';
import { DEFAULTS } from '../config/defaults.ts';
import { latestRunStartedBy, type RunRow } from '../history/queries-runs.ts';
import { numberOption } from './args.ts';
import type { OptionValues } from './args.ts';

/** One run already read, or a time window that ends at `untilMs` (the latest run started by then counts). */
export type ThresholdScope = { readonly run: RunRow } | { readonly untilMs: number };

async function limitsRow(db: Database, scope: ThresholdScope): Promise<RunRow | undefined> {
  if ('run' in scope) return scope.run;
  return latestRunStartedBy(db, scope.untilMs);
}

export async function resolveThresholds(db: Database, values: OptionValues, scope: ThresholdScope): Promise<{ warnMb: number; emergencyMb: number }> {
  const { emergencyMb } = DEFAULTS.memory;
  const warnMb = emergencyMb * DEFAULTS.warnFactor;
  const stored = await limitsRow(db, scope);
  const warn = values['warn-mb'] !== undefined ? undefined
    : (stored?.warn_mb ?? undefined);
  const emergency = values['emergency-mb'] !== undefined ? undefined
    : (stored?.emergency_mb ?? undefined);
  return {
    warnMb: warn ?? numberOption(values, 'warn-mb', warnMb),
    emergencyMb: emergency ?? numberOption(values, 'emergency-mb', emergencyMb),
  };
}
