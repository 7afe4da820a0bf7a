// PURE: runs killed one after another are a condition, not just events: each kill's alert is over when written, so
// with every run killed nothing was "open" and alerts_open{level="critical"} read 0. This opens one until a run ends
// any other way.
import { runStatusFacts } from '../vocabulary/run-status.ts';

/** Consecutive killed runs (memory or timeout) that open the condition. */
export const KILL_STREAK_OPENS_AT = 3;

/**
 * How many of the newest runs in a row were killed. Statuses that say nothing about the runner (a skipped tick, a
 * run cut short by the supervisor's own end, one still running) neither count nor break the streak.
 */
export function killStreak(statusesNewestFirst: readonly string[]): number {
  let streak = 0;
  for (const status of statusesNewestFirst) {
    const facts = runStatusFacts(status);
    if (!facts || facts.cutShort || !facts.feedsTrend) continue;
    if (!facts.countsAsKill) break;
    streak += 1;
  }
  return streak;
}

export interface KillStreakEvent {
  readonly phase: 'raised' | 'recovered';
  readonly message: string;
  readonly value: number;
}

/** The event that opens or closes the condition, or undefined when its state does not change. */
export function evaluateKillStreak(open: boolean, streak: number): KillStreakEvent | undefined {
  if (!open && streak >= KILL_STREAK_OPENS_AT) {
    return { phase: 'raised', value: streak, message: `runner keeps being killed: the last ${streak} runs were all stopped by the supervisor (memory or timeout); the worklist is not being updated` };
  }
  if (open && streak === 0) return { phase: 'recovered', value: 0, message: 'runner no longer killed: the latest run ended on its own' };
  return undefined;
}
