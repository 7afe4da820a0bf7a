/** How the config validator is compiled: ahead of time by `npm run build`, or at run time when that copy is stale. */
export const AJV_OPTIONS = { allErrors: true, strict: true, allowUnionTypes: true, verbose: true } as const;

export { schemaDigest } from '../../shared/schema-digest.ts';
