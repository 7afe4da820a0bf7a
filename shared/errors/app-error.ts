import { catalogueEntry, type ErrorCode } from './catalogue.ts';

// The one error class the project throws on purpose: it carries a stable code, its exit code and a next step.
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  readonly hint: string;
  /** Extra measured values, kept apart from the message for `--json` output and history rows. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown>; hint?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    const entry = catalogueEntry(code);
    this.code = code;
    this.exitCode = entry.exitCode;
    this.hint = options.hint ?? entry.hint;
    this.details = options.details ?? {};
  }

  /** "message\n  → hint", the form printed to an operator. */
  toOperatorText(): string {
    return `${this.message}\n  → ${this.hint}`;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
