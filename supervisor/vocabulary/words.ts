// The words every room speaks: a run's status, an alert's level, whose memory a sample measured. The history's
// storage schema, the status page, the metrics and the alerts import them from here; this file imports nothing.

export const RUN_STATUSES = ['running', 'ok', 'failed', 'killed', 'timeout', 'skipped', 'orphaned', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const ALERT_LEVELS = ['info', 'warning', 'critical'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

export type MemorySource = 'runner' | 'supervisor';
