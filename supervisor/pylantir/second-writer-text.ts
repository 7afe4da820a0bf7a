// The sentences about a Pylantir process that syncs our worklist, said the same way by check-config, the start-up
// check's alert and its log line; the fix is a command that works as printed (absolute node and bin).
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { packageRoot } from '../../shared/package-root.ts';
import { shellWord } from '../history/history-command.ts';
import type { PylantirFinding } from './second-writer.ts';

/** Where the server's config is suggested: next to the original, `mwl_config.json` → `mwl_config.server.json`. */
export function suggestedServerConfigPath(configPath: string): string {
  const extension = extname(configPath);
  return join(dirname(configPath), `${basename(configPath, extension)}.server${extension || '.json'}`);
}

/** `node …/main.js pylantir-server-config --from FILE --out FILE.server.json [--config OURS]`. */
export function serverConfigCommand(configPath: string, supervisorConfig: string | undefined): string {
  const bin = join(packageRoot(), 'dist', 'supervisor', 'main.js');
  const ours = supervisorConfig === undefined ? [] : ['--config', isAbsolute(supervisorConfig) ? supervisorConfig : resolve(supervisorConfig)];
  return [process.execPath, bin, 'pylantir-server-config', '--from', configPath, '--out', suggestedServerConfigPath(configPath), ...ours].map(shellWord).join(' ');
}

export function secondWriterText(finding: PylantirFinding, supervisorConfig: string | undefined): string {
  const { target } = finding;
  if (target.kind !== 'syncs') throw new Error('secondWriterText: the finding does not sync');
  const server = suggestedServerConfigPath(target.configPath);
  return `Pylantir pid ${finding.pid} (config ${target.configPath}) runs its own sync into the same worklist ${target.dbPath}: ${target.why}. `
    + 'Two writers on one worklist: its leaking sync thread keeps running beside this supervisor\'s runner. '
    + `Turn its sync off: \`${serverConfigCommand(target.configPath, supervisorConfig)}\`, then restart it with \`pylantir start --pylantir_config ${shellWord(server)}\` `
    + '(README "Turn Pylantir\'s own sync off")';
}

export function unknownPylantirText(finding: PylantirFinding): string {
  return `a Pylantir server runs as pid ${finding.pid} (\`${finding.commandLine}\`), but whether it syncs this worklist cannot be told from here: ${finding.target.why}; `
    + 'check its config by hand, or run this check as root';
}
