// The JSON Schema every config file is validated against; `check-config --print-schema` prints it for editors.
import { LOG_LEVELS } from '../../shared/log-levels.ts';

const positiveInt = { type: 'integer', minimum: 1 } as const;
const mb = { type: 'number', exclusiveMinimum: 0 } as const;

export const configSchema = {
  $id: 'https://sync-supervisor.invalid/config.schema.json',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    schedule: {
      oneOf: [
        { type: 'string', minLength: 1, description: 'node-cron expression, optional seconds field' },
        { type: 'object', additionalProperties: false, required: ['everyMs'], properties: { everyMs: { type: 'integer', minimum: 50 } } },
      ],
    },
    timezone: { type: 'string', minLength: 1 },
    runOnStart: { type: 'boolean' },
    runner: {
      type: 'object',
      additionalProperties: false,
      required: ['command'],
      properties: {
        command: { type: 'string', minLength: 1 },
        args: { type: 'array', items: { type: 'string' } },
        env: { type: 'object', additionalProperties: { type: 'string' } },
        cwd: { type: 'string', minLength: 1 },
      },
    },
    sync: {
      type: 'object',
      additionalProperties: false,
      properties: { pylantirConfig: { type: 'string', minLength: 1 } },
    },
    memory: {
      type: 'object',
      additionalProperties: false,
      properties: {
        sampleIntervalMs: { type: 'integer', minimum: 10, maximum: 60000 },
        warnMb: mb,
        emergencyMb: mb,
        graceMs: { type: 'integer', minimum: 0, maximum: 600000 },
        hardLimitMb: mb,
        selfSampleIntervalMs: { type: 'integer', minimum: 100 },
      },
    },
    restart: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxAttempts: { type: 'integer', minimum: 1, maximum: 100 },
        backoffMs: { type: 'integer', minimum: 0 },
        backoffMaxMs: { type: 'integer', minimum: 0 },
      },
    },
    run: { type: 'object', additionalProperties: false, properties: { timeoutMs: positiveInt } },
    dataDir: { type: 'string', minLength: 1 },
    log: {
      type: 'object',
      additionalProperties: false,
      properties: { level: { enum: [...LOG_LEVELS] }, json: { type: 'boolean' } },
    },
    trend: {
      type: 'object',
      additionalProperties: false,
      properties: {
        window: { type: 'integer', minimum: 2 },
        minPoints: { type: 'integer', minimum: 2 },
        minSpanMs: { type: 'integer', minimum: 0 },
        warnMbPerHour: mb,
        criticalMb: mb,
        logEveryRuns: positiveInt,
      },
    },
    retention: {
      type: 'object',
      additionalProperties: false,
      properties: { samplesDays: { type: 'number', exclusiveMinimum: 0 }, runsDays: { type: 'number', exclusiveMinimum: 0 } },
    },
    status: {
      type: 'object',
      additionalProperties: false,
      properties: {
        port: { type: 'integer', minimum: 0, maximum: 65535 },
        host: { type: 'string', minLength: 1 },
        tokenEnv: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
      },
    },
  },
} as const;
