import type { ErrorObject } from 'ajv';
import { didYouMean } from './did-you-mean.ts';
import { maximumReason } from './limits.ts';

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  const shown = json === undefined ? String(value) : json.length > 60 ? `${json.slice(0, 57)}...` : json;
  return `${shown} (${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value})`;
}

function pathOf(error: ErrorObject, extra?: string): string {
  const segments = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) segments.push(extra);
  return segments.length === 0 ? '(root)' : segments.join('.');
}

function valueAt(root: unknown, instancePath: string): unknown {
  let node = root;
  for (const segment of instancePath.split('/').slice(1)) node = (node as Record<string, unknown> | undefined)?.[segment];
  return node;
}

// Turns ajv's errors into lines that name the key, what was expected and what was received.
export function formatSchemaErrors(errors: readonly ErrorObject[], input: unknown): string[] {
  const lines = new Set<string>();
  const oneOfPaths = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  for (const error of errors) {
    const received = describeValue(valueAt(input, error.instancePath));
    if (error.keyword === 'oneOf') {
      // A value that fits no branch's type gets one line for the key; a value of a branch's type (an object for
      // schedule) gets that branch's own lines instead, so `schedule.everyMs` is named with its bound.
      if (onlyTypeMismatches(errors, error.instancePath)) {
        lines.add(`${pathOf(error)}: expected a cron expression string or { "everyMs": N }, received ${received}`);
      }
    } else if (error.keyword === 'type' && oneOfPaths.has(error.instancePath)) {
      continue; // the branch of another type: not what the operator meant to write
    } else if (error.keyword === 'additionalProperties') {
      const key = String(error.params.additionalProperty);
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const hint = didYouMean(key, known);
      lines.add(`${pathOf(error, key)}: unknown key${hint ? `; did you mean "${hint}"?` : `; known keys are ${known.join(', ')}`}`);
    } else if (error.keyword === 'required') {
      lines.add(`${pathOf(error, String(error.params.missingProperty))}: required, received nothing`);
    } else if (error.keyword === 'enum') {
      lines.add(`${pathOf(error)}: expected one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, received ${received}`);
    } else {
      lines.add(`${pathOf(error)}: expected ${expectation(error)}, received ${received}`);
    }
  }
  return [...lines];
}

/** Whether every error at or under the oneOf at `path` only says the value is not of a branch's type. */
function onlyTypeMismatches(errors: readonly ErrorObject[], path: string): boolean {
  return errors.every((e) => {
    const within = e.instancePath === path || e.instancePath.startsWith(`${path}/`);
    return !within || e.keyword === 'oneOf' || (e.keyword === 'type' && e.instancePath === path);
  });
}

function expectation(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type': return `a value of type ${String(p.type)}`;
    case 'minimum': return `a number ≥ ${String(p.limit)}`;
    case 'maximum': {
      const why = maximumReason(Number(p.limit));
      return `a number ≤ ${String(p.limit)}${why ? ` (${why})` : ''}`;
    }
    case 'exclusiveMinimum': return `a number > ${String(p.limit)}`;
    case 'minLength': return 'a non-empty string';
    case 'pattern': return `a string matching ${String(p.pattern)}`;
    default: return error.message ?? error.keyword;
  }
}
