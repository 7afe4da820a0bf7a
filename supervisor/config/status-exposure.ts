import { BlockList, isIP } from 'node:net';
import type { StatusConfig } from './types.ts';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** 127.0.0.0/8, ::1 (in any spelling, IPv4-mapped forms included) and `localhost`: reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  const family = isIP(host);
  return family !== 0 && LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

// The status server shows the run history and memory of this host; on any address another machine
// can reach, it must ask for a token. Undefined when the settings are safe.
export function statusExposureProblem(status: StatusConfig): string | undefined {
  if (status.port === undefined || status.tokenEnv !== undefined || isLoopbackHost(status.host)) return undefined;
  return `status.host: expected a loopback address (127.0.0.1, ::1 or localhost) while status.tokenEnv is unset, received "${status.host}"; `
    + 'the status server (/memory-status, /metrics, the dashboard) would be open to the network without auth. '
    + 'Set status.tokenEnv to the name of an environment variable holding a bearer token, or set status.host to "127.0.0.1"';
}
