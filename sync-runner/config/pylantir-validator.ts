import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { schemaDigest } from '../../shared/schema-digest.ts';
import { compiledSchemaDigest, validate as compiledAhead } from './pylantir-validator.generated.ts';
import { pylantirConfigSchema, type RawPylantirConfig } from './pylantir-schema.ts';

/** How the Pylantir config's validator is compiled, ahead of time (`npm run build`) or here when that copy is stale. */
export const PYLANTIR_AJV_OPTIONS = { allErrors: false, allowUnionTypes: true, strict: true, strictRequired: false } as const;

let validator: ValidateFunction<RawPylantirConfig> | undefined;

/**
 * The Pylantir config's validator, as the supervisor's own (supervisor/config/config-validator.ts): the copy
 * `npm run build` compiled with ajv's standalone mode. Loading ajv and compiling the schema cost every runner start
 * about 150 ms of CPU, on every tick; when pylantir-schema.ts changed since the build, ajv compiles it here instead.
 */
export function pylantirValidator(): ValidateFunction<RawPylantirConfig> {
  if (validator) return validator;
  if (compiledSchemaDigest === schemaDigest(pylantirConfigSchema)) {
    validator = compiledAhead as ValidateFunction<RawPylantirConfig>;
  } else {
    // ajv is CommonJS, so it loads synchronously here, and only in this case.
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    validator = new Ajv(PYLANTIR_AJV_OPTIONS).compile<RawPylantirConfig>(pylantirConfigSchema);
  }
  return validator;
}
