import { createHash } from 'node:crypto';

/**
 * Names one version of a JSON Schema, so a validator compiled ahead of time (`npm run build`, ajv's standalone mode)
 * can tell whether it still matches the schema it is meant to check.
 */
export function schemaDigest(schema: unknown): string {
  return createHash('sha256').update(JSON.stringify(schema)).digest('hex');
}
