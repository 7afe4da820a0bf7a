// Every alert kind the supervisor raises, with what it means and what an operator does about it. ecosystem.md's
// "Alerts" table is checked against this (tests/supervisor/alerts/catalogue.test.ts), like the error codes.
import type { AlertLevel } from './words.ts';
import type { MemorySource } from './words.ts';

export interface AlertKindEntry {
  /** The level a raised alert of this kind is written and logged at. */
  readonly severity: Exclude<AlertLevel, 'info'> | 'info';
  /**
   * A condition that stays open until an `info` row of the same kind says it recovered (the trend alerts).
   * Other kinds are events: they are over when written, so they are never "open".
   */
  readonly recovers: boolean;
  readonly meaning: string;
  /** What to do; a command written `history run <id>` is sent complete (alerts/action-text.ts). */
  readonly action: string;
}

export const alertCatalogue = {
  'memory-warn': {
    severity: 'warning', recovers: false,
    meaning: "The runner's tree RSS reached `memory.warnMb` during a run (once per run).",
    action: 'Nothing yet; if it recurs, read the run with `history run <id>` and look for growth across runs with `history trend`.',
  },
  'memory-emergency': {
    severity: 'critical', recovers: false,
    meaning: "The runner's tree RSS crossed `memory.emergencyMb` (or `hardLimitMb`) and the run was stopped: SIGTERM, then SIGKILL after `graceMs` (above `hardLimitMb`, SIGKILL at once).",
    action: 'Read the run with `history run <id>`; the tick restarts the runner, but kills on every tick mean the sync leaks or the limit is too low for the data.',
  },
  timeout: {
    severity: 'warning', recovers: false,
    meaning: 'A run took longer than `run.timeoutMs` and was stopped like a memory kill.',
    action: "Check that REDCap answers (the run's log lines name the slow source); raise `run.timeoutMs` if the sync is legitimately long.",
  },
  'attempts-exhausted': {
    severity: 'critical', recovers: false,
    meaning: 'Every attempt of a tick failed or was killed: the worklist was not updated this tick.',
    action: 'Read the last run with `history run <id>` and fix its cause; the next tick tries again.',
  },
  'supervisor-start': {
    severity: 'info', recovers: false,
    meaning: 'The supervisor started (or restarted) and holds the data dir.',
    action: "Nothing, unless it restarts often: then read the service manager's log (`journalctl -u sync-supervisor`) for why it stopped.",
  },
  'history-reopened': {
    severity: 'warning', recovers: false,
    meaning: 'history.db was deleted or replaced while the supervisor ran; a new file was opened at the same path.',
    action: 'Find what removed the file (a cleanup job, a restore); rows written since the last check went with the old file.',
  },
  'worklist-cancel-refused': {
    severity: 'critical', recovers: false,
    meaning: "A source's lifecycle step hid nothing because its guard refused the pass: it would have hidden more than `max_cancel_fraction` of the source's visible worklist rows, or the snapshot of the REDCap project was not whole; inserts and date moves still landed.",
    action: 'Read the run with `history run <id>` (the counts and the refusal) and check in REDCap whether that many visits were really removed; if so, try the pass with `dry_run`, then raise `max_cancel_fraction`; an incomplete snapshot is tried again at the next tick.',
  },
  'pylantir-sync-running': {
    severity: 'critical', recovers: false,
    meaning: "A `pylantir start` process on this host runs Pylantir's own sync into the same worklist file as this supervisor's runner: two writers, and Pylantir's leaking sync thread still running. Raised at start and at most hourly while it runs; the supervisor keeps syncing.",
    action: "Turn Pylantir's own sync off: run the `pylantir-server-config` command the message prints, restart Pylantir with the new `--pylantir_config`, and check its log says \"No enabled data sources found\" (README \"Turn Pylantir's own sync off\").",
  },
  'history-gap': {
    severity: 'warning', recovers: false,
    meaning: 'history.db could not be written for a while (another process held its write lock, or its disk was full); the sync and the memory watch went on, and the writes held in memory were written once it could be. The message gives the span, the first error and what was dropped past the cap.',
    action: 'Find what held history.db (a backup, an `sqlite3` shell left in a transaction) or free its disk; the runs, alerts and samples counted as dropped are not in the history.',
  },
  'trend-growth': {
    severity: 'warning', recovers: true,
    meaning: "The runner's peak RSS grows faster than `trend.warnMbPerHour` over the trend window.",
    action: 'Compare recent runs with `history trend`; steady growth points to a leak in the sync or a growing REDCap project.',
  },
  'trend-absolute': {
    severity: 'critical', recovers: true,
    meaning: "The runner's latest peak RSS is above `trend.criticalMb`.",
    action: 'Read the latest runs with `history runs`; the emergency line will stop runs soon if this keeps climbing.',
  },
  'runner-killed-repeatedly': {
    severity: 'critical', recovers: true,
    meaning: 'The last 3 or more runs in a row were killed (memory or timeout); open until a run ends on its own.',
    action: 'The worklist is not being updated: read the latest run with `history run <id>`; raise `memory.emergencyMb` if the data needs it, or fix the leak.',
  },
  'supervisor-trend-growth': {
    severity: 'warning', recovers: true,
    meaning: "The supervisor's own RSS grows faster than `trend.warnMbPerHour`.",
    action: 'Restart the supervisor at a quiet time and report the supervisor figures of `history trend`.',
  },
  'supervisor-trend-absolute': {
    severity: 'critical', recovers: true,
    meaning: "The supervisor's own RSS is above `trend.criticalMb`.",
    action: 'Restart the supervisor at a quiet time; a supervisor this large is a bug worth reporting with its history.db.',
  },
} as const satisfies Record<string, AlertKindEntry>;

export type AlertKind = keyof typeof alertCatalogue;

export const ALERT_KINDS = Object.keys(alertCatalogue) as AlertKind[];

export function isAlertKind(name: string): name is AlertKind {
  return Object.hasOwn(alertCatalogue, name);
}

export function alertKindEntry(kind: AlertKind): AlertKindEntry {
  return alertCatalogue[kind];
}

/** The kinds that stay open until they recover, for the open-alerts query. */
export const RECOVERING_KINDS: readonly AlertKind[] = ALERT_KINDS.filter((kind) => alertCatalogue[kind].recovers);

/** The kind of a trend condition: `trend-growth`, `trend-absolute`, `supervisor-trend-growth`, … */
export function trendAlertKind(source: MemorySource, condition: 'growth' | 'absolute'): AlertKind {
  return `${source === 'supervisor' ? 'supervisor-' : ''}trend-${condition}`;
}
