// `npm run bench -- NAME… [--option VALUE]…`: suite names apart from the options some suites take (before-after's
// `--before REV`). Pure, so main.ts stays a list of suites.

export interface BenchArgs {
  readonly names: readonly string[];
  readonly options: Readonly<Record<string, string>>;
}

/** Splits argv into suite names and `--name value` options; a problem is a message naming the fix. */
export function parseBenchArgs(argv: readonly string[], accepted: Readonly<Record<string, readonly string[]>>): BenchArgs | { error: string } {
  const names: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) {
      names.push(arg);
      continue;
    }
    const name = arg.slice(2);
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) return { error: `bench option ${arg} needs a value, e.g. ${arg} HEAD~3` };
    options[name] = value;
    i += 1;
  }
  const allowed = new Set(names.flatMap((n) => accepted[n] ?? []));
  const stray = Object.keys(options).filter((o) => !allowed.has(o));
  if (stray.length > 0) {
    const owners = Object.entries(accepted).map(([suite, opts]) => `${suite}: ${opts.map((o) => `--${o}`).join(', ')}`).join('; ');
    return { error: `bench option(s) ${stray.map((o) => `--${o}`).join(', ')} belong to no suite named; options by suite: ${owners}` };
  }
  return { names, options };
}
