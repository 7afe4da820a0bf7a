import type { SourceSpec } from '../config/source-spec.ts';

/** The prefix that tells check-config a line of `--check` is a note, not a problem. */
export const NOTE_PREFIX = 'note: ';

// Pure: what `--check` says about each enabled source's lifecycle settings, and the step to take when they are off.
export function lifecycleNotes(sources: readonly SourceSpec[]): string[] {
  return sources.filter((s) => s.enabled).map((source) => {
    const l = source.lifecycle;
    const settings = `cancel_removed ${l.cancelRemoved}, expire_after_days ${l.expireAfterDays ?? 'off'}, max_cancel_fraction ${l.maxCancelFraction}, dry_run ${l.dryRun}, snapshot_every_minutes ${l.snapshotEveryMinutes}`;
    const advice = l.cancelRemoved
      ? l.dryRun ? '; dry_run is on: the step only logs what it would do; set "dry_run": false once its log looks right' : ''
      : `; deleted or cancelled REDCap visits stay on the scanner's worklist: set config.lifecycle "cancel_removed": true (with "dry_run": true first, to read what it would hide)`;
    return `${NOTE_PREFIX}source "${source.name}" lifecycle: ${settings}${advice}`;
  });
}
