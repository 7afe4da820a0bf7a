import type { ValidateFunction } from 'ajv';
import { aheadOrCompiled } from '../../shared/ahead-validator.ts';
import { compiledSchemaDigest, validate as compiledAhead } from './pylantir-validator.generated.ts';
import { pylantirConfigSchema, type RawPylantirConfig } from './pylantir-schema.ts';

/** How the Pylantir config's validator is compiled, ahead of time (`npm run build`) or here when that copy is stale. */
export const PYLANTIR_AJV_OPTIONS = { allErrors: false, allowUnionTypes: true, strict: true, strictRequired: false } as const;

let validator: ValidateFunction<RawPylantirConfig> | undefined;

/**
 * The Pylantir config's validator, as the supervisor's own (supervisor/config/config-validator.ts): loading ajv and
 * compiling the schema cost every runner start, every tick, about 50 ms of CPU.
 */
export function pylantirValidator(): ValidateFunction<RawPylantirConfig> {
  validator ??= aheadOrCompiled<RawPylantirConfig>(pylantirConfigSchema, { digest: compiledSchemaDigest, validate: compiledAhead }, PYLANTIR_AJV_OPTIONS);
  return validator;
}
