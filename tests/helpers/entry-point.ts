// How a test starts one of our programs: the built file under dist/, as a site runs it (npm test builds first), or
// the TypeScript source through tsx when SYNC_TESTS_FROM_SOURCE=1 (a developer running one file without a build).
// A tsx start transpiles every module again and costs about three times the CPU of a built one; the suite starts
// hundreds of supervisors and runners, so built is the default.
import { fileURLToPath } from 'node:url';

/** Absolute, because `--import tsx` would otherwise be resolved from the child's cwd, where there is no node_modules. */
export const tsxLoader = import.meta.resolve('tsx');

export type Program = 'supervisor' | 'sync-runner';

export function fromSourceByDefault(): boolean {
  return process.env.SYNC_TESTS_FROM_SOURCE === '1';
}

export function sourcePath(program: Program): string {
  return fileURLToPath(new URL(`../../${program}/main.ts`, import.meta.url));
}

export function builtPath(program: Program): string {
  return fileURLToPath(new URL(`../../dist/${program}/main.js`, import.meta.url));
}

/** node's arguments that start `program` (built unless `built` is false, or unset under SYNC_TESTS_FROM_SOURCE=1). */
export function programArgs(program: Program, args: readonly string[], built = !fromSourceByDefault()): string[] {
  return built ? [builtPath(program), ...args] : ['--import', tsxLoader, sourcePath(program), ...args];
}
