// PURE: whether a real Pylantir 0.3.6 `pylantir start` runs its own sync thread with a given config, read from its
// cli/run.py. With a `data_sources` key it starts one thread per source whose `enabled` is truthy (absent = True);
// without one it takes the legacy branch, which always starts `sync_redcap_to_db_repeatedly`, even with no
// `redcap2wl` and even when the file could not be read (load_config returns {} then). That differs from our runner,
// which reads the legacy form only when `redcap2wl` is there: this rule is about Pylantir's process, not ours.

/** The top-level keys of Pylantir's legacy single-source form: what its legacy branch reads to sync. */
export const LEGACY_SYNC_KEYS = ['redcap2wl', 'db_update_interval', 'site', 'protocol', 'operation_interval'] as const;

export type PylantirSync =
  | { readonly syncs: true; readonly why: string }
  | { readonly syncs: false; readonly why: string };

/** Python truthiness of a JSON value, as `src.get("enabled", True)` is tested. */
function truthy(value: unknown): boolean {
  if (value === undefined) return true;
  if (value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

export function pylantirSyncOf(config: Readonly<Record<string, unknown>>): PylantirSync {
  if (!Object.hasOwn(config, 'data_sources')) {
    return { syncs: true, why: 'it has no "data_sources" key, so Pylantir takes its legacy branch, which always starts a REDCap sync thread' };
  }
  const sources = config.data_sources;
  // Anything but a list makes Pylantir's own start fail before a thread starts.
  if (!Array.isArray(sources)) return { syncs: false, why: '"data_sources" is not a list' };
  const enabled = sources.filter((source) => typeof source === 'object' && source !== null && truthy((source as Record<string, unknown>).enabled));
  if (enabled.length === 0) return { syncs: false, why: 'no source in "data_sources" is enabled' };
  const names = enabled.map((source) => String((source as Record<string, unknown>).name ?? 'unknown'));
  return { syncs: true, why: `it has ${enabled.length} enabled source(s) in "data_sources" (${names.join(', ')}), each with its own sync thread` };
}
