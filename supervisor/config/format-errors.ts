import type { ErrorObject } from 'ajv';
import { formatSchemaErrors as formatWith } from '../../shared/schema-errors.ts';
import { didYouMean } from './did-you-mean.ts';
import { maximumReason, minimumReason } from './limits.ts';

// The supervisor's config errors: the shared wording, with its own hints (the timer and memory caps explained, a
// misspelt key's nearest neighbour, and what `schedule`, its one oneOf, accepts).
export function formatSchemaErrors(errors: readonly ErrorObject[], input: unknown): string[] {
  return formatWith(errors, input, { maximumReason, minimumReason, didYouMean, alternatives: 'a cron expression string or { "everyMs": N }' });
}
