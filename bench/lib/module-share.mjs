// Imports one module into a bare node and prints what it adds to the RSS, as JSON. Run from the repository, so
// packages resolve from its node_modules: `node --expose-gc bench/lib/module-share.mjs SPECIFIER`. The specifier
// `ajv-compile:FILE` imports ajv and compiles the schema exported (as configSchema) by FILE, as load-config once did.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';

const rssMb = () => {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, anon: kb('RssAnon') / 1024, file: kb('RssFile') / 1024 };
};
const settle = async () => {
  globalThis.gc?.();
  await delay(200);
  globalThis.gc?.();
};

const spec = process.argv[2] ?? '';
const toUrl = (s) => (s.startsWith('/') ? pathToFileURL(s).href : s);
await settle();
const before = rssMb();
if (spec.startsWith('ajv-compile:')) {
  const { Ajv } = await import('ajv');
  const { configSchema } = await import(toUrl(spec.slice('ajv-compile:'.length)));
  new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true }).compile(configSchema);
} else if (spec !== 'none') {
  await import(toUrl(spec));
}
await settle();
const after = rssMb();
const round = (v) => Math.round(v * 10) / 10;
console.log(JSON.stringify({ spec, addedMb: round(after.rss - before.rss), addedAnonMb: round(after.anon - before.anon), addedFileMb: round(after.file - before.file), bareNodeMb: round(before.rss) }));
