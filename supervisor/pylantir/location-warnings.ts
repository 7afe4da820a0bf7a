// PURE: where a worklist should not be for the deployments we ship. The shipped unit
// (examples/deploy/systemd/sync-supervisor.service) sets ProtectHome=yes and PrivateTmp=yes: under it /home, /root
// and /run/user look empty and /tmp is the service's own, so a worklist there is not the file Pylantir serves (a
// run fails, or creates a new empty one beside it). tests/supervisor/pylantir/ checks the unit still says so.
import { PYLANTIR_DEFAULT_DB } from '../../shared/pylantir/db-path.ts';

const PROTECTED_HOME = ['/home', '/root', '/run/user'];
const PRIVATE_TMP = ['/tmp', '/var/tmp'];

function under(path: string, folder: string): boolean {
  return path === folder || path.startsWith(`${folder}/`);
}

/** Warnings about `dbPath` (absolute), given the db_path as written (undefined: absent). */
export function worklistLocationWarnings(rawDbPath: unknown, dbPath: string): string[] {
  const warnings: string[] = [];
  if (rawDbPath === undefined || rawDbPath === PYLANTIR_DEFAULT_DB) {
    warnings.push(`db_path is ${rawDbPath === undefined ? 'absent, so it is ' : ''}Pylantir's default ${PYLANTIR_DEFAULT_DB} (${dbPath}): that is a different file for every user that runs a sync or Pylantir; set an absolute db_path both use, e.g. /var/lib/worklist/worklist.db`);
  }
  const home = PROTECTED_HOME.find((folder) => under(dbPath, folder));
  if (home !== undefined) {
    warnings.push(`the worklist ${dbPath} is under ${home}, which the shipped systemd unit hides from the service (ProtectHome=yes): the runner would not find the file Pylantir serves. Move the worklist (e.g. /var/lib/worklist/) or drop ProtectHome= from the unit`);
  }
  const tmp = PRIVATE_TMP.find((folder) => under(dbPath, folder));
  if (tmp !== undefined) {
    warnings.push(`the worklist ${dbPath} is under ${tmp}, which the shipped systemd unit makes private to the service (PrivateTmp=yes): the runner would write a file Pylantir never sees, and ${tmp} may be cleaned. Move the worklist (e.g. /var/lib/worklist/)`);
  }
  return warnings;
}
