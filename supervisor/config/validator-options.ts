import { createHash } from 'node:crypto';

/** How the config validator is compiled: ahead of time by `npm run build`, or at run time when that copy is stale. */
export const AJV_OPTIONS = { allErrors: true, strict: true, allowUnionTypes: true, verbose: true } as const;

/** Names one version of the schema, so a validator compiled ahead of time can tell whether it still matches it. */
export function schemaDigest(schema: unknown): string {
  return createHash('sha256').update(JSON.stringify(schema)).digest('hex');
}
