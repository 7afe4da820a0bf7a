// The history database's layout. Each migration moves `user_version` up by one; never edit a shipped one.
import { RUN_STATUSES } from '../vocabulary/words.ts';

/** `PRAGMA application_id` marks the file as ours ("SYNS"), so a foreign SQLite file is refused, not altered. */
export const HISTORY_APPLICATION_ID = 0x53594e53;

const statusList = RUN_STATUSES.map((s) => `'${s}'`).join(',');

export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tick_at_ms INTEGER NOT NULL,
    attempt INTEGER NOT NULL,
    pid INTEGER,
    pid_start_ticks INTEGER,
    command TEXT NOT NULL,
    started_at_ms INTEGER NOT NULL,
    ended_at_ms INTEGER,
    status TEXT NOT NULL CHECK (status IN (${statusList})),
    reason TEXT,
    exit_code INTEGER,
    signal TEXT,
    force_killed INTEGER NOT NULL DEFAULT 0,
    peak_rss_bytes INTEGER,
    peak_pid_count INTEGER,
    sample_count INTEGER NOT NULL DEFAULT 0,
    warned_at_ms INTEGER,
    emergency_at_ms INTEGER,
    error TEXT,
    result_json TEXT
  );
  CREATE INDEX runs_started ON runs (started_at_ms);
  CREATE INDEX runs_status ON runs (status, started_at_ms);
  CREATE TABLE memory_history (
    id INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('runner', 'supervisor')),
    run_id INTEGER,
    rss_bytes INTEGER NOT NULL,
    pid_count INTEGER NOT NULL
  );
  CREATE INDEX memory_history_run ON memory_history (run_id, at_ms);
  CREATE INDEX memory_history_source_at ON memory_history (source, at_ms);
  CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('info', 'warning', 'critical')),
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    value REAL,
    run_id INTEGER
  );
  CREATE INDEX alerts_at ON alerts (at_ms);
  CREATE TABLE trend_snapshots (
    id INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('runner', 'supervisor')),
    points INTEGER NOT NULL,
    current_mb REAL, avg_mb REAL, min_mb REAL, max_mb REAL,
    growth_mb_per_hour REAL,
    hours_to_emergency REAL
  );
  CREATE INDEX trend_snapshots_at ON trend_snapshots (source, at_ms);
  `,
  // 2: the limits in force for each run, so a post-mortem draws the lines the run was really held to; and an
  // index for the newest alert of a kind, which /memory-status looks up on each refresh.
  `
  ALTER TABLE runs ADD COLUMN warn_mb REAL;
  ALTER TABLE runs ADD COLUMN emergency_mb REAL;
  ALTER TABLE runs ADD COLUMN hard_limit_mb REAL;
  ALTER TABLE runs ADD COLUMN grace_ms INTEGER;
  ALTER TABLE runs ADD COLUMN timeout_ms INTEGER;
  CREATE INDEX alerts_kind ON alerts (kind, id);
  `,
  // 3: stragglers reaped after a run are their own fact (force_killed meant only the grace-period SIGKILL, yet an ok
  // run that left a helper behind said it "outlived the grace period"); the moment a run was signalled, apart from
  // the moment it crossed the emergency line, since a spike may be tolerated for memory.sustainMs; the settings of
  // a run's limits that came after v2 (sustain_ms); and the alert outbox: one row per (alert, sink), delivered at
  // most once per idempotency key and picked up again after a restart.
  `
  ALTER TABLE runs ADD COLUMN stragglers_killed INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE runs ADD COLUMN terminated_at_ms INTEGER;
  ALTER TABLE runs ADD COLUMN sustain_ms INTEGER;
  CREATE TABLE alert_deliveries (
    id INTEGER PRIMARY KEY,
    alert_id INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    sink TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at_ms INTEGER NOT NULL,
    last_error TEXT,
    created_at_ms INTEGER NOT NULL,
    delivered_at_ms INTEGER
  );
  CREATE INDEX alert_deliveries_due ON alert_deliveries (state, next_attempt_at_ms);
  CREATE INDEX alert_deliveries_alert ON alert_deliveries (alert_id);
  `,
  // 4: the worklist's status changes (the runner's lifecycle step hides and restores rows), as the runner journals
  // them in worklist.db and reports them: (journal_id, seq) is unique, so a change the runner re-sends after a kill is
  // written once. `worklist_journals` keeps, per journal, the seq up to which every entry is here (no gap), which the
  // next runner is told so it re-sends only the rest; retention never prunes either table (worklist-changes.ts).
  `
  CREATE TABLE worklist_changes (
    id INTEGER PRIMARY KEY,
    journal_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    row_id INTEGER NOT NULL,
    patient_id TEXT,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    reason TEXT NOT NULL,
    source TEXT NOT NULL,
    record TEXT NOT NULL,
    instance TEXT,
    run_id INTEGER,
    at_ms INTEGER NOT NULL,
    received_at_ms INTEGER NOT NULL,
    UNIQUE (journal_id, seq)
  );
  CREATE INDEX worklist_changes_at ON worklist_changes (at_ms);
  CREATE INDEX worklist_changes_run ON worklist_changes (run_id);
  CREATE TABLE worklist_journals (
    journal_id TEXT PRIMARY KEY,
    received_through INTEGER NOT NULL DEFAULT 0,
    written_at_ms INTEGER NOT NULL
  );
  CREATE INDEX worklist_journals_written ON worklist_journals (written_at_ms);
  `,
];

export const HISTORY_SCHEMA_VERSION = MIGRATIONS.length;
