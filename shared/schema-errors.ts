import type { ErrorObject } from 'ajv';

/** What a program adds to the wording of its own schema's errors. */
export interface SchemaErrorHints {
  /** Why a setting may not exceed `limit` (e.g. Node's timer cap); undefined for a limit that speaks for itself. */
  readonly maximumReason?: (limit: number) => string | undefined;
  /** Why the setting at `key` (dotted, `a.b.0`) may not go below `limit`; undefined when the bound speaks for itself. */
  readonly minimumReason?: (key: string, limit: number) => string | undefined;
  /** The known key closest to a misspelt one. */
  readonly didYouMean?: (key: string, known: readonly string[]) => string | undefined;
  /** What a value fits when it fits no branch of a oneOf/anyOf, e.g. "a string or an object of strings". */
  readonly alternatives?: string;
}

/** The keys of a JSON pointer (ajv's instancePath), decoded as RFC 6901 says: `~1` → `/` first, then `~0` → `~`. */
export function pointerKeys(pointer: string): string[] {
  return pointer.split('/').slice(1).map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The keys of the setting an error is about, the missing or unknown property included. */
function keysOf(error: ErrorObject): string[] {
  const keys = pointerKeys(error.instancePath);
  if (error.keyword === 'required') keys.push(String(error.params.missingProperty));
  if (error.keyword === 'additionalProperties') keys.push(String(error.params.additionalProperty));
  return keys;
}

function valueAt(root: unknown, keys: readonly string[]): unknown {
  return keys.reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), root);
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  const shown = json === undefined ? String(value) : json.length > 60 ? `${json.slice(0, 57)}...` : json;
  return `${shown} (${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value})`;
}

// The supervisor's voice: one line per problem, naming the key (`a.b.0`), what was expected and what was received.
export function formatSchemaErrors(errors: readonly ErrorObject[], input: unknown, hints: SchemaErrorHints = {}): string[] {
  const lines = new Set<string>();
  const oneOfPaths = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  for (const error of errors) {
    const key = keysOf(error);
    const at = key.length === 0 ? '(root)' : key.join('.');
    const received = describeValue(valueAt(input, pointerKeys(error.instancePath)));
    if (error.keyword === 'oneOf') {
      // A value that fits no branch's type gets one line for the key; a value of a branch's type (an object for
      // schedule) gets that branch's own lines instead, so `schedule.everyMs` is named with its bound.
      if (onlyTypeMismatches(errors, error.instancePath)) lines.add(`${at}: expected ${hints.alternatives ?? 'a value matching one of the allowed forms'}, received ${received}`);
    } else if (error.keyword === 'type' && oneOfPaths.has(error.instancePath)) {
      continue; // the branch of another type: not what the operator meant to write
    } else if (error.keyword === 'additionalProperties') {
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const hint = hints.didYouMean?.(key.at(-1) ?? '', known);
      lines.add(`${at}: unknown key${hint ? `; did you mean "${hint}"?` : `; known keys are ${known.join(', ')}`}`);
    } else if (error.keyword === 'required') {
      lines.add(`${at}: required, received nothing`);
    } else if (error.keyword === 'enum') {
      lines.add(`${at}: expected one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, received ${received}`);
    } else {
      lines.add(`${at}: expected ${expectation(error, hints, at)}, received ${received}`);
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

function expectation(error: ErrorObject, hints: SchemaErrorHints, at: string): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type': return `a value of type ${String(p.type)}`;
    case 'minimum': {
      const why = hints.minimumReason?.(at, Number(p.limit));
      return `a number ≥ ${String(p.limit)}${why ? ` (${why})` : ''}`;
    }
    case 'maximum': {
      const why = hints.maximumReason?.(Number(p.limit));
      return `a number ≤ ${String(p.limit)}${why ? ` (${why})` : ''}`;
    }
    case 'exclusiveMinimum': return `a number > ${String(p.limit)}`;
    case 'minLength': return 'a non-empty string';
    case 'pattern': return `a string matching ${String(p.pattern)}`;
    default: return error.message ?? error.keyword;
  }
}

// The runner's voice, for Pylantir's config: one sentence about the first error, with the key written as Pylantir's
// users read it ("/data_sources/0/config" + missing "path" → `key "data_sources[0].config.path" is required`).
export function describeSchemaError(error: ErrorObject | undefined, input: unknown, hints: SchemaErrorHints = {}): string {
  if (error === undefined) return 'is not valid';
  const key = keysOf(error).reduce((out, s) => (/^\d+$/.test(s) ? `${out}[${s}]` : out === '' ? s : `${out}.${s}`), '');
  const alternative = error.keyword === 'anyOf' || error.keyword === 'oneOf';
  const what = error.keyword === 'required' ? 'is required' : alternative ? `must be ${hints.alternatives ?? 'one of the allowed forms'}` : (error.message ?? 'is not valid');
  const got = error.keyword === 'required' ? '' : ` (received ${JSON.stringify(valueAt(input, pointerKeys(error.instancePath)))?.slice(0, 60) ?? 'nothing'})`;
  return `${key === '' ? 'the top level' : `key "${key}"`} ${what}${got}`;
}
