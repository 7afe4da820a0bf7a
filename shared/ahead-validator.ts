import { createRequire } from 'node:module';
import type { Options, ValidateFunction } from 'ajv';
import { schemaDigest } from './schema-digest.ts';

/** A validator `npm run build` compiled with ajv's standalone mode, and the digest of the schema it was built from. */
export interface CompiledAhead {
  readonly digest: string;
  readonly validate: unknown;
}

/**
 * The validator for `schema`: the copy compiled ahead of time while it still matches the schema (loading ajv and
 * compiling costs a process about 14 MB and tens of ms of CPU), else ajv compiles it here, so a key added since the
 * last build is never refused by a stale copy. Used by the supervisor's config and the runner's Pylantir config.
 */
export function aheadOrCompiled<T>(schema: object, ahead: CompiledAhead, options: Options): ValidateFunction<T> {
  if (ahead.digest === schemaDigest(schema)) return ahead.validate as ValidateFunction<T>;
  // ajv is CommonJS, so it loads synchronously here, and only in this case.
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  return new Ajv(options).compile<T>(schema);
}
