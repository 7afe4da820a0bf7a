// The JSON Schema of the `alerts` config key; supervisor/config/schema.ts mounts it.
import { MAX_TIMER_MS, MIN_ALERT_BACKOFF_MS } from './limits.ts';
import { ALERT_KINDS } from '../vocabulary/alert-catalogue.ts';

const timerMs = (minimum: number) => ({ type: 'integer', minimum, maximum: MAX_TIMER_MS }) as const;
const envName = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } as const;
/** A secret: inline, or `{ "env": "NAME" }` so it lives in the environment (or .env) instead of the file. */
const secretRef = {
  oneOf: [
    { type: 'string', minLength: 1 },
    { type: 'object', additionalProperties: false, required: ['env'], properties: { env: envName } },
  ],
} as const;
const httpUrl = { type: 'string', pattern: '^https?://' } as const;
const sinkName = { type: 'string', pattern: '^[a-z0-9][a-z0-9_.-]{0,39}$' } as const;
const kinds = { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...ALERT_KINDS] } } as const;

export const alertsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    webhooks: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['url'],
        properties: {
          name: sinkName,
          url: { oneOf: [httpUrl, secretRef.oneOf[1]] },
          headers: { type: 'object', additionalProperties: secretRef },
          kinds,
          format: { enum: ['json', 'alertmanager'] },
        },
      },
    },
    commands: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['command'],
        properties: {
          name: sinkName,
          command: { type: 'string', minLength: 1 },
          args: { type: 'array', items: { type: 'string' } },
          kinds,
          timeoutMs: timerMs(1),
        },
      },
    },
    healthcheck: {
      type: 'object',
      additionalProperties: false,
      required: ['url'],
      properties: { url: { oneOf: [httpUrl, secretRef.oneOf[1]] } },
    },
    mail: {
      type: 'object',
      additionalProperties: false,
      required: ['host', 'port', 'from', 'to'],
      properties: {
        host: { type: 'string', minLength: 1 },
        port: { type: 'integer', minimum: 1, maximum: 65535 },
        secure: { type: 'boolean' },
        from: { type: 'string', minLength: 3 },
        to: { type: 'array', minItems: 1, items: { type: 'string', minLength: 3 } },
        userEnv: envName,
        passwordEnv: envName,
        kinds,
      },
    },
    timeoutMs: timerMs(1),
    retry: {
      type: 'object',
      additionalProperties: false,
      properties: { backoffMs: timerMs(MIN_ALERT_BACKOFF_MS), backoffMaxMs: timerMs(MIN_ALERT_BACKOFF_MS), maxAttempts: { type: 'integer', minimum: 1, maximum: 1000 }, maxAgeMs: timerMs(1) },
    },
  },
} as const;
