import type { WorklistChangeReason } from '../../shared/protocol.ts';
import type { LifecycleSettings } from '../config/source-spec.ts';

/** One row this source inserted (it has a link), as the worklist holds it now. */
export interface OwnedRow {
  readonly rowId: number;
  readonly status: string | null;
  readonly record: string;
  /** `mri_instance`, the session number that is part of the row's patient_id. */
  readonly instance: string;
  /** scheduled_start_date as stored (YYYY-MM-DD when readable). */
  readonly date: string | null;
  readonly patientId: string | null;
  /** Set while a CANCELED this step wrote stands: why it hid the row. */
  readonly canceledReason: WorklistChangeReason | null;
}

/** What the snapshot of the whole project says about the records that own rows. */
export interface Snapshot {
  /** Records the project has (all of them, not only ours). */
  readonly records: number;
  /** The records seen that own rows. */
  readonly present: ReadonlySet<string>;
  /** Their MRI instances, keyed by instanceKey(record, instance): true when it has a date and a time. */
  readonly instances: ReadonlyMap<string, boolean>;
  /** Why it cannot be trusted (an error, a cut-short answer); undefined when whole. */
  readonly incomplete?: string;
}

export interface LifecycleInput {
  readonly rows: readonly OwnedRow[];
  /** Undefined when no snapshot ran this time: only expiry is judged. */
  readonly snapshot: Snapshot | undefined;
  /** Records this run's incremental export returned: a whole snapshot lists at least as many. */
  readonly exportedRecords: number;
  /** The local date, YYYY-MM-DD. */
  readonly today: string;
  readonly settings: LifecycleSettings;
}

export interface PlannedChange {
  readonly row: OwnedRow;
  readonly reason: WorklistChangeReason;
  readonly to: 'CANCELED' | 'SCHEDULED';
}

export interface KeptRow {
  readonly row: OwnedRow;
  readonly reason: WorklistChangeReason;
}

export interface LifecyclePlan {
  readonly hide: readonly PlannedChange[];
  readonly restore: readonly PlannedChange[];
  /** Removed visits whose row is not SCHEDULED: the scanner's (or a person's) status, left alone. */
  readonly kept: readonly KeptRow[];
  /** Rows of this source Pylantir's C-FIND returns (SCHEDULED, IN_PROGRESS, DISCONTINUED), before the step. */
  readonly visible: number;
  readonly refused?: { readonly code: 'WORKLIST_CANCEL_REFUSED' | 'SNAPSHOT_INCOMPLETE'; readonly message: string; readonly wouldHide: number; readonly visible: number };
}

/** One string per (record, instance): flat keys cost far less than a map per record at 100k records. */
export const instanceKey = (record: string, instance: string): string => `${record}\u0000${instance}`;

/** The statuses Pylantir's MWL server answers a C-FIND with. */
export const VISIBLE_STATUSES: ReadonlySet<string> = new Set(['SCHEDULED', 'IN_PROGRESS', 'DISCONTINUED']);
const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const dayNumber = (isoDate: string): number | undefined => {
  const m = ISO_DATE.exec(isoDate);
  return m === null ? undefined : Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
};

function isExpired(row: OwnedRow, today: string, afterDays: number | null): boolean {
  if (afterDays === null || row.date === null) return false;
  const day = dayNumber(row.date);
  const now = dayNumber(today);
  return day !== undefined && now !== undefined && now - day > afterDays;
}

/** Why the row's visit should not be on the scanner's list, or null when it should. */
function hideReason(row: OwnedRow, input: LifecycleInput): WorklistChangeReason | null {
  const { snapshot, settings } = input;
  if (snapshot !== undefined && settings.cancelRemoved) {
    if (!snapshot.present.has(row.record)) return 'record-deleted';
    const dated = snapshot.instances.get(instanceKey(row.record, row.instance));
    if (dated === undefined) return 'instance-deleted';
    if (!dated) return 'date-cleared';
  }
  return isExpired(row, input.today, settings.expireAfterDays) ? 'expired' : null;
}

/** Whether this run can judge the row's CANCELED: a removal needs a snapshot; an expiry only the date. */
function canJudge(row: OwnedRow, input: LifecycleInput): boolean {
  return row.canceledReason === 'expired' || (input.snapshot !== undefined && input.settings.cancelRemoved);
}

// Pure: which rows this source created leave the scanner's list, which come back, and which stay because the scanner
// owns their status. Only SCHEDULED rows are hidden, only the step's own CANCELED is undone, and a pass the guard
// refuses (a snapshot that is not whole, or too much at once) changes nothing at all, restores included.
export function planLifecycle(input: LifecycleInput): LifecyclePlan {
  const hide: PlannedChange[] = [];
  const restore: PlannedChange[] = [];
  const kept: KeptRow[] = [];
  let visible = 0;
  for (const row of input.rows) {
    if (row.status !== null && VISIBLE_STATUSES.has(row.status)) visible++;
    const ours = row.status === 'CANCELED' && row.canceledReason !== null;
    const reason = hideReason(row, input);
    if (ours) {
      if (reason === null && canJudge(row, input)) restore.push({ row, reason: 'restored', to: 'SCHEDULED' });
    } else if (reason !== null && row.status === 'SCHEDULED') {
      hide.push({ row, reason, to: 'CANCELED' });
    } else if (reason !== null && reason !== 'expired') {
      // A past visit that was performed is not news; a deleted one whose row the scanner holds is.
      kept.push({ row, reason });
    }
  }
  const refused = refusal(input, hide.length, visible);
  return refused === undefined ? { hide, restore, kept, visible } : { hide: [], restore: [], kept, visible, refused };
}

function refusal(input: LifecycleInput, wouldHide: number, visible: number): LifecyclePlan['refused'] {
  const { snapshot } = input;
  if (snapshot?.incomplete !== undefined) return { code: 'SNAPSHOT_INCOMPLETE', message: `the snapshot is not whole: ${snapshot.incomplete}`, wouldHide, visible };
  if (snapshot !== undefined && snapshot.records < input.exportedRecords) {
    return { code: 'SNAPSHOT_INCOMPLETE', message: `the snapshot lists ${snapshot.records} record(s), fewer than the ${input.exportedRecords} this run's export returned`, wouldHide, visible };
  }
  const limit = input.settings.maxCancelFraction * visible;
  if (wouldHide > limit) {
    return { code: 'WORKLIST_CANCEL_REFUSED', message: `the pass would hide ${wouldHide} of the source's ${visible} visible row(s), more than max_cancel_fraction ${input.settings.maxCancelFraction} allows (${Math.floor(limit)})`, wouldHide, visible };
  }
  return undefined;
}
