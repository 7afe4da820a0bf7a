import type { ErrorCodeEntry } from './error-code.ts';
import { historyCodes } from './history-codes.ts';
import { runnerCodes } from './runner-codes.ts';
import { supervisorCodes } from './supervisor-codes.ts';

// Every error code the project can emit, in one table; ecosystem.md documents each, and a test keeps them in sync.
export const errorCatalogue = { ...supervisorCodes, ...historyCodes, ...runnerCodes } as const;

export type ErrorCode = keyof typeof errorCatalogue;

export function catalogueEntry(code: ErrorCode): ErrorCodeEntry {
  return errorCatalogue[code];
}
