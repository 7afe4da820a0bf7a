import { catalogueEntry, type ErrorCode } from '../../shared/errors/catalogue.ts';
import type { SourceResult } from '../../shared/protocol.ts';
import { runnerCodes } from '../../shared/errors/runner-codes.ts';

const isRunnerCode = (code: string): code is ErrorCode & keyof typeof runnerCodes => code in runnerCodes;

// Pure: the process exit code for a finished run. Skipped sources count as success; an interruption wins;
// one kind of failure gives its own code, so the supervisor's history says what went wrong without reading the log.
export function exitCodeFor(results: readonly SourceResult[]): number {
  const codes = new Set(results.filter((r) => r.status === 'failed').map((r) => r.error?.code ?? 'RUNNER_FAILED'));
  if (codes.size === 0) return 0;
  if (codes.has('RUNNER_INTERRUPTED')) return catalogueEntry('RUNNER_INTERRUPTED').exitCode;
  const [only] = [...codes];
  if (codes.size === 1 && only !== undefined && isRunnerCode(only)) return catalogueEntry(only).exitCode;
  return catalogueEntry('RUNNER_FAILED').exitCode;
}
