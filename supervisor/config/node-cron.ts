import { createRequire } from 'node:module';

type NodeCron = typeof import('node-cron');

let loaded: NodeCron | undefined;

// node-cron adds about 2 MB to an idle supervisor's RSS, and a fixed-interval schedule never uses it: it is loaded on
// the first cron expression (checked or scheduled) instead of at start. require(), because the config checks are
// synchronous; the package ships a CommonJS build for that.
export function nodeCron(): NodeCron {
  loaded ??= createRequire(import.meta.url)('node-cron') as NodeCron;
  return loaded;
}
