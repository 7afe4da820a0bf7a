import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LIFECYCLE_DEFAULTS, type LifecycleSettings } from '../../../sync-runner/config/source-spec.ts';
import { instanceKey, planLifecycle, type OwnedRow, type Snapshot } from '../../../sync-runner/worklist/lifecycle-plan.ts';

const ON: LifecycleSettings = { ...LIFECYCLE_DEFAULTS, cancelRemoved: true, maxCancelFraction: 1 };
const TODAY = '2030-06-15';

let nextId = 1;
const row = (over: Partial<OwnedRow> = {}): OwnedRow => ({ rowId: nextId++, status: 'SCHEDULED', record: '1', instance: '1', date: '2030-07-01', patientId: 'p', canceledReason: null, ...over });

/** A snapshot of `records` records, of which these (record → instance → dated) are spelt out. */
const snap = (instances: Record<string, Record<string, boolean>>, records = Object.keys(instances).length, incomplete?: string): Snapshot => ({
  records,
  present: new Set(Object.keys(instances)),
  instances: new Map(Object.entries(instances).flatMap(([r, i]) => Object.entries(i).map(([n, dated]) => [instanceKey(r, n), dated] as const))),
  ...(incomplete === undefined ? {} : { incomplete }),
});

interface Case {
  readonly name: string;
  readonly row: Partial<OwnedRow>;
  readonly snapshot: Snapshot | undefined;
  readonly settings?: Partial<LifecycleSettings>;
  /** hide:<reason>, restore, kept:<reason> or none. */
  readonly expect: string;
}

const cases: Case[] = [
  { name: 'a visit still there stays', row: {}, snapshot: snap({ 1: { 1: true } }), expect: 'none' },
  { name: 'record gone', row: {}, snapshot: snap({ 2: { 1: true } }), expect: 'hide:record-deleted' },
  { name: 'instance gone', row: {}, snapshot: snap({ 1: { 2: true } }), expect: 'hide:instance-deleted' },
  { name: 'date cleared', row: {}, snapshot: snap({ 1: { 1: false } }), expect: 'hide:date-cleared' },
  { name: 'IN_PROGRESS is the scanner\'s: kept', row: { status: 'IN_PROGRESS' }, snapshot: snap({ 2: {} }), expect: 'kept:record-deleted' },
  { name: 'COMPLETED kept', row: { status: 'COMPLETED' }, snapshot: snap({ 1: {} }), expect: 'kept:instance-deleted' },
  { name: 'DISCONTINUED kept', row: { status: 'DISCONTINUED' }, snapshot: snap({ 1: { 1: false } }), expect: 'kept:date-cleared' },
  { name: 'an unknown status kept', row: { status: 'ARRIVED' }, snapshot: snap({ 2: {} }), expect: 'kept:record-deleted' },
  { name: 'a CANCELED someone else set is kept, never restored', row: { status: 'CANCELED' }, snapshot: snap({ 1: { 1: true } }), expect: 'none' },
  { name: 'our CANCELED, visit back: restored', row: { status: 'CANCELED', canceledReason: 'record-deleted' }, snapshot: snap({ 1: { 1: true } }), expect: 'restore' },
  { name: 'our CANCELED, still gone: left', row: { status: 'CANCELED', canceledReason: 'record-deleted' }, snapshot: snap({ 2: {} }), expect: 'none' },
  { name: 'our CANCELED, no snapshot this run: left', row: { status: 'CANCELED', canceledReason: 'instance-deleted' }, snapshot: undefined, expect: 'none' },
  { name: 'expired, 31 days past with 30', row: { date: '2030-05-15' }, snapshot: undefined, settings: { cancelRemoved: false, expireAfterDays: 30 }, expect: 'hide:expired' },
  { name: 'not expired at exactly 30 days', row: { date: '2030-05-16' }, snapshot: undefined, settings: { cancelRemoved: false, expireAfterDays: 30 }, expect: 'none' },
  { name: 'expiry off', row: { date: '2000-01-01' }, snapshot: undefined, settings: { cancelRemoved: false, expireAfterDays: null }, expect: 'none' },
  { name: 'an unreadable date never expires', row: { date: '01/02/2000' }, snapshot: undefined, settings: { expireAfterDays: 1 }, expect: 'none' },
  { name: 'a past COMPLETED row is not news', row: { status: 'COMPLETED', date: '2000-01-01' }, snapshot: undefined, settings: { expireAfterDays: 1 }, expect: 'none' },
  { name: 'our expired CANCELED, date moved ahead: restored without a snapshot', row: { status: 'CANCELED', canceledReason: 'expired', date: '2030-07-01' }, snapshot: undefined, settings: { expireAfterDays: 30 }, expect: 'restore' },
  { name: 'our expired CANCELED, still past: left', row: { status: 'CANCELED', canceledReason: 'expired', date: '2030-01-01' }, snapshot: undefined, settings: { expireAfterDays: 30 }, expect: 'none' },
  { name: 'cancel_removed off: a deletion is not judged', row: {}, snapshot: snap({ 2: {} }), settings: { cancelRemoved: false }, expect: 'none' },
  { name: 'removal wins over expiry', row: { date: '2000-01-01' }, snapshot: snap({ 2: {} }), settings: { expireAfterDays: 1 }, expect: 'hide:record-deleted' },
];

for (const c of cases) {
  test(`plan: ${c.name}`, () => {
    const r = row(c.row);
    const plan = planLifecycle({ rows: [r], snapshot: c.snapshot, exportedRecords: 0, today: TODAY, settings: { ...ON, ...c.settings } });
    const got = [
      ...plan.hide.map((h) => `hide:${h.reason}`),
      ...plan.restore.map(() => 'restore'),
      ...plan.kept.map((k) => `kept:${k.reason}`),
    ];
    assert.deepEqual(got, c.expect === 'none' ? [] : [c.expect]);
    for (const h of plan.hide) assert.equal(h.to, 'CANCELED');
    for (const h of plan.restore) assert.equal(h.to, 'SCHEDULED');
  });
}

test('the guard: more than max_cancel_fraction of the visible rows refuses the whole pass, restores included', () => {
  const rows = [row({ record: 'a' }), row({ record: 'b' }), row({ record: 'c' }), row({ record: 'd' }), row({ record: 'e', status: 'IN_PROGRESS' }), row({ record: 'f', status: 'CANCELED', canceledReason: 'record-deleted' })];
  const snapshot = snap({ c: { 1: true }, d: { 1: true }, e: { 1: true }, f: { 1: true } }, 10);
  const at = (fraction: number) => planLifecycle({ rows, snapshot, exportedRecords: 3, today: TODAY, settings: { ...ON, maxCancelFraction: fraction } });
  // 2 of 5 visible would go: 0.4 allows it, 0.39 does not.
  assert.equal(at(0.4).hide.length, 2);
  assert.equal(at(0.4).restore.length, 1);
  const refused = at(0.39);
  assert.deepEqual([refused.hide.length, refused.restore.length, refused.visible], [0, 0, 5]);
  assert.equal(refused.refused?.code, 'WORKLIST_CANCEL_REFUSED');
  assert.deepEqual([refused.refused?.wouldHide, refused.refused?.visible], [2, 5]);
  assert.match(refused.refused?.message ?? '', /hide 2 of the source's 5 visible row\(s\), more than max_cancel_fraction 0\.39/);
});

test('the guard: a snapshot that is not whole, or lists fewer records than the export, refuses (SNAPSHOT_INCOMPLETE)', () => {
  const rows = [row({ record: 'a' }), row({ record: 'b' })];
  const cut = planLifecycle({ rows, snapshot: snap({ b: { 1: true } }, 50, 'batch 2 of 4 returned 0 of 500 records'), exportedRecords: 1, today: TODAY, settings: ON });
  assert.equal(cut.refused?.code, 'SNAPSHOT_INCOMPLETE');
  assert.match(cut.refused?.message ?? '', /batch 2 of 4/);
  assert.equal(cut.hide.length, 0);
  const short = planLifecycle({ rows, snapshot: snap({ b: { 1: true } }, 4), exportedRecords: 5, today: TODAY, settings: ON });
  assert.equal(short.refused?.code, 'SNAPSHOT_INCOMPLETE');
  assert.match(short.refused?.message ?? '', /lists 4 record\(s\), fewer than the 5/);
  const whole = planLifecycle({ rows, snapshot: snap({ b: { 1: true } }, 5), exportedRecords: 5, today: TODAY, settings: ON });
  assert.equal(whole.refused, undefined);
  assert.equal(whole.hide.length, 1);
});
