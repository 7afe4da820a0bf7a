import type { ValidateFunction } from 'ajv';
import { aheadOrCompiled } from '../../shared/ahead-validator.ts';
import { compiledSchemaDigest, validate as compiledAhead } from './config-validator.generated.ts';
import type { RawConfig } from './resolve-config.ts';
import { configSchema } from './schema.ts';
import { AJV_OPTIONS } from './validator-options.ts';

let validator: ValidateFunction<RawConfig> | undefined;

/**
 * The config validator. Normally the one `npm run build` compiled from schema.ts with ajv's standalone mode: it
 * needs only a few lines of ajv's runtime, where loading and compiling with ajv costs the supervisor about 14 MB
 * of RSS for its whole life. When schema.ts has changed since that build (a key added, no rebuild yet), the copy
 * no longer matches and ajv compiles the schema here instead, so a new key is never refused by a stale validator.
 */
export function configValidator(): ValidateFunction<RawConfig> {
  validator ??= aheadOrCompiled<RawConfig>(configSchema, { digest: compiledSchemaDigest, validate: compiledAhead }, AJV_OPTIONS);
  return validator;
}
