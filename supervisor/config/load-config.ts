import { readFileSync } from 'node:fs';
import { AppError } from '../../shared/errors/app-error.ts';
import { configValidator } from './config-validator.ts';
import { crossCheckConfig } from './cross-checks.ts';
import { formatSchemaErrors } from './format-errors.ts';
import { resolveConfig } from './resolve-config.ts';
import type { SupervisorConfig } from './types.ts';

// Validates raw JSON (already parsed) and resolves it; every problem is reported at once.
export function parseConfig(input: unknown, origin: { file?: string; cwd: string }): SupervisorConfig {
  const where = origin.file ?? 'built-in default';
  const validate = configValidator();
  if (!validate(input)) {
    const lines = formatSchemaErrors(validate.errors ?? [], input);
    throw new AppError('CONFIG_INVALID', `invalid config ${where}:\n  - ${lines.join('\n  - ')}`, { details: { problems: lines } });
  }
  const config = resolveConfig(input, origin);
  const problems = crossCheckConfig(config);
  if (problems.length > 0) {
    throw new AppError('CONFIG_INVALID', `invalid config ${where}:\n  - ${problems.join('\n  - ')}`, { details: { problems } });
  }
  return config;
}

/** Reads `--config PATH`, or the built-in default when no path is given. */
export function loadConfig(file: string | undefined, cwd: string): SupervisorConfig {
  if (file === undefined) return parseConfig({}, { cwd });
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AppError('CONFIG_INVALID', `cannot read config file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AppError('CONFIG_INVALID', `config file ${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseConfig(json, { file, cwd });
}
