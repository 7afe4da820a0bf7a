import type { SupervisorConfig } from '../config/types.ts';

/** The value at a dotted key of the resolved config (`memory.warnMb`), for the derived-settings note. */
function valueAt(config: SupervisorConfig, key: string): unknown {
  return key.split('.').reduce<unknown>((at, part) => (at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined), config);
}

/**
 * What `check-config` prints for a valid file: a first line naming it and, for every setting left unset and derived
 * from another, the effective value and its rule (an operator who lowered only emergencyMb sees where the warning
 * line went); then the effective settings as JSON, which stays a valid config file (origin and notes left out).
 */
export function checkConfigText(config: SupervisorConfig): string {
  const { origin, derived, ...settings } = config;
  const notes = Object.entries(derived).map(([key, rule]) => `${key} ${String(valueAt(config, key))} (${rule})`);
  const header = `config OK: ${origin}${notes.length > 0 ? `; derived: ${notes.join(', ')}` : ''}`;
  return `${header}\n${JSON.stringify(settings, null, 2)}\n`;
}
