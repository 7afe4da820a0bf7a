// Turns node:util parseArgs's errors into a sentence for an operator: the bad option, and the one they meant.
import { didYouMean } from '../config/did-you-mean.ts';

const UNKNOWN_OPTION = /^Unknown option '([^']+)'/;

/**
 * parseArgs says "Unknown option '--confg'. To specify a positional argument starting with a '-', place it at
 * the end of the command after '--' …": the advice is for programmers. Other parseArgs errors (a missing
 * value, a value given to a flag) already name the option and are kept as they are.
 */
export function optionErrorMessage(error: unknown, known: readonly string[]): string {
  const message = (error as Error).message;
  const unknown = UNKNOWN_OPTION.exec(message)?.[1];
  if (unknown === undefined) return message;
  const names = known.map((name) => `--${name}`);
  const guess = didYouMean(unknown.replace(/=.*$/, ''), names);
  return guess !== undefined ? `unknown option ${unknown}; did you mean ${guess}?` : `unknown option ${unknown}; the options are ${names.join(', ')}`;
}
