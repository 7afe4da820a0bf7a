// PURE: the config for Pylantir's MWL server with its own sync off. Pylantir 0.3.6 starts no sync thread when
// `data_sources` is present and has no enabled source (it logs "No enabled data sources found in configuration"),
// so the sources are replaced by [] and the legacy single-source keys, which only its sync reads, are removed.
// Everything else (allowed_aet, db_echo, users_db_path, api, …) is kept as it is, in its place.
import { LEGACY_SYNC_KEYS } from './sync-rule.ts';

export interface ServerConfig {
  readonly config: Record<string, unknown>;
  /** The legacy keys that were present and are gone. */
  readonly removed: readonly string[];
  /** How many data sources the original listed (all gone). */
  readonly sourcesDropped: number;
}

export function serverConfig(original: Readonly<Record<string, unknown>>, absoluteDbPath: string): ServerConfig {
  const legacy: readonly string[] = LEGACY_SYNC_KEYS;
  const removed = Object.keys(original).filter((key) => legacy.includes(key));
  const config: Record<string, unknown> = Object.hasOwn(original, 'db_path') ? {} : { db_path: absoluteDbPath };
  for (const [key, value] of Object.entries(original)) {
    if (legacy.includes(key)) continue;
    if (key === 'db_path') config.db_path = absoluteDbPath;
    else if (key === 'data_sources') config.data_sources = [];
    else config[key] = value;
  }
  config.data_sources = [];
  const sources = original.data_sources;
  return { config, removed, sourcesDropped: Array.isArray(sources) ? sources.length : 0 };
}
