import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import { describeSchemaError, formatSchemaErrors, pointerKeys } from '../../shared/schema-errors.ts';

// Keys with "/" and "~" in them, as a runner.env variable or a Pylantir field mapping may have.
const schema = {
  type: 'object',
  properties: {
    env: { type: 'object', additionalProperties: { type: 'string' } },
    limit: { type: 'integer', maximum: 10 },
    list: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
    form: { anyOf: [{ type: 'string' }, { type: 'object' }] },
  },
  additionalProperties: false,
} as const;
const validate = new Ajv({ allErrors: true, verbose: true }).compile(schema);
const errorsOf = (input: unknown) => (validate(input) ? [] : [...(validate.errors ?? [])]);

test('pointerKeys decodes ~1 then ~0, as RFC 6901 says, so "~01" is the key "~1", not "/"', () => {
  assert.deepEqual(pointerKeys(''), []);
  assert.deepEqual(pointerKeys('/a~1b/c~0d/~01/0'), ['a/b', 'c~d', '~1', '0']);
});

test('formatSchemaErrors: a key holding / or ~ is named as written, with the value found under it', () => {
  const input = { env: { 'PATH/x': 1, 'a~b': 2, '~1': 3 } };
  assert.deepEqual(formatSchemaErrors(errorsOf(input), input), [
    'env.PATH/x: expected a value of type string, received 1 (number)',
    'env.a~b: expected a value of type string, received 2 (number)',
    'env.~1: expected a value of type string, received 3 (number)',
  ]);
});

test('formatSchemaErrors: hints explain a maximum, suggest a key and say what a oneOf/anyOf takes; without them it still reads', () => {
  const input = { limt: 1, limit: 11 };
  const hints = { maximumReason: (n: number) => (n === 10 ? 'ten is plenty' : undefined), didYouMean: () => 'limit' };
  assert.deepEqual(formatSchemaErrors(errorsOf(input), input, hints), ['limt: unknown key; did you mean "limit"?', 'limit: expected a number ≤ 10 (ten is plenty), received 11 (number)']);
  assert.deepEqual(formatSchemaErrors(errorsOf(input), input), ['limt: unknown key; known keys are env, limit, list, form', 'limit: expected a number ≤ 10, received 11 (number)']);
});

test('describeSchemaError: Pylantir\'s voice, key with [index], ~1 and ~0 decoded, received value shown', () => {
  const first = (input: unknown) => errorsOf(input).find((e) => e.keyword === 'anyOf') ?? errorsOf(input)[0];
  assert.equal(describeSchemaError(first({ list: [{ name: 'a' }, {}] }), {}), 'key "list[1].name" is required');
  assert.equal(describeSchemaError(first({ env: { 'a/b~c': 5 } }), { env: { 'a/b~c': 5 } }), 'key "env.a/b~c" must be string (received 5)');
  assert.equal(describeSchemaError(first({ form: 5 }), { form: 5 }, { alternatives: 'a string or an object' }), 'key "form" must be a string or an object (received 5)');
  assert.equal(describeSchemaError(first(7), 7), 'the top level must be object (received 7)');
  assert.equal(describeSchemaError(undefined, {}), 'is not valid');
});
