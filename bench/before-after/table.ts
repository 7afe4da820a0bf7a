// The before-after suite's table, from its JSON: printed by the suite and written to bench/REPORT.md alike.
import { at, fmt, isObject, table, type Json } from '../lib/markdown.ts';

const counts = (o: unknown): string => (isObject(o) ? Object.entries(o).map(([k, v]) => `${k} ×${fmt(v)}`).join(', ') : 'n/a');

export function beforeAfterTables(f: Json): string {
  const rows = (Array.isArray(f.rows) ? f.rows : []).filter(isObject);
  const dirty = at(f, 'after', 'uncommittedChanges') === true ? ' plus uncommitted changes' : '';
  const signals = isObject(f.firstSignal) ? f.firstSignal : {};
  const n = Object.values(isObject(signals.before) ? signals.before : {}).reduce<number>((sum, v) => sum + (typeof v === 'number' ? v : 0), 0);
  return [
    `Before: \`${fmt(at(f, 'before', 'commit'))}\` (\`${fmt(at(f, 'before', 'rev'))}\`, "${fmt(at(f, 'before', 'subject'))}"); after: \`${fmt(at(f, 'after', 'commit'))}\`${dirty}. ` +
      `Both built and run as \`${fmt(f.nodeFlags)}\`, ${fmt(f.rounds)} rounds, each run of one build next to one of the other, the order swapped every round ` +
      `(idle RSS: every daemon at once; CPU: a pair at once). 1-minute load average ${fmt(at(f, 'host', 'loadAverage1mStart'))} → ${fmt(at(f, 'host', 'loadAverage1mEnd'))} on ${fmt(at(f, 'host', 'cores'))} cores: read the medians and ratios, not single runs.`,
    '',
    table(
      ['figure', 'before (median)', 'after (median)', 'after / before', 'n'],
      [
        ...rows.map((r) => [r.label, r.before, r.after, `×${fmt(r.ratio)}`, r.n]),
        [`over hardLimitMb: first signal sent to the runner (${fmt(f.firstSignalFrom)})`, counts(signals.before), counts(signals.after), '', n],
        ["over hardLimitMb: the runner's SIGTERM handler ran", counts(at(f, 'runnerSawSigterm', 'before')), counts(at(f, 'runnerSawSigterm', 'after')), '', n],
      ],
    ),
  ].join('\n');
}
