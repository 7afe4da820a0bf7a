import type { SupervisorConfig } from './config/types.ts';
import type { SupervisorPlugin } from './plugin.ts';

// The optional parts a real supervisor runs with: trend alerts, retention and, when configured, the status server.
export function defaultPlugins(_config: SupervisorConfig): SupervisorPlugin[] {
  return [];
}
