import assert from 'node:assert/strict';
import { AppError } from '../../shared/errors/app-error.ts';
import { parseConfig } from '../../supervisor/config/load-config.ts';

/** The problems a config is refused for (CONFIG_INVALID, exit 5), or none when it is accepted. */
export function problemsOf(input: unknown): string[] {
  try {
    parseConfig(input, { cwd: '/srv', file: '/etc/sync/config.json' });
  } catch (error) {
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.equal(error.exitCode, 5);
    return error.details.problems as string[];
  }
  return [];
}
