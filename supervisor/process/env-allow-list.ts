// The environment a child of the supervisor may inherit. It lives with the processes, not the run: the runner, an
// alert command sink (alerts/sinks/command.ts) and check-config's view of the runner (cli/config-environment.ts) all
// draw on this one list.
/**
 * What the runner may inherit from the supervisor's environment, by name. The supervisor's environment holds things
 * the runner has no business with: the status server's bearer token (`status.tokenEnv`), and whatever the service
 * manager, the container or a `.env` file put there for other programs. So nothing passes unless it is listed here:
 *
 * - PATH, HOME, TMPDIR: to find programs, a home and a scratch dir, as every program expects.
 * - LANG, LANGUAGE, LC_*, TZ: the locale and time zone, so dates and text read and print as the operator expects.
 * - REDCAP_*: the runner's credentials (REDCAP_API_URL, REDCAP_API_TOKEN); the README says they come from here.
 * - NODE_EXTRA_CA_CERTS: the trust store, for a REDCap server behind an internal certificate authority.
 *
 * Not NODE_OPTIONS: it can preload code (`--require`, `--import`) and carries the supervisor's own heap flags,
 * which are no measure for the runner. Not proxy variables: Node's fetch ignores them. A runner that needs either,
 * or anything else, names it in `runner.env`.
 */
const INHERITED_NAMES: ReadonlySet<string> = new Set(['PATH', 'HOME', 'TMPDIR', 'LANG', 'LANGUAGE', 'TZ', 'NODE_EXTRA_CA_CERTS']);
const INHERITED_PREFIXES: readonly string[] = ['LC_', 'REDCAP_'];

export function isInherited(name: string): boolean {
  return INHERITED_NAMES.has(name) || INHERITED_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/**
 * Pure: the runner's whole environment (spawn it with `extendEnv: false`). The allow-listed part of the supervisor's
 * environment, then `runner.env` from the config, then the protocol variables, each layer winning over the one before.
 */
export function runnerEnv(
  supervisorEnv: Readonly<Record<string, string | undefined>>,
  configured: Readonly<Record<string, string>>,
  protocol: Readonly<Record<string, string>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(supervisorEnv)) if (value !== undefined && isInherited(name)) env[name] = value;
  return { ...env, ...configured, ...protocol };
}
