// The JSON Schema every config file is validated against; `check-config --print-schema` prints it for editors.
import { LOG_LEVELS } from '../../shared/log-levels.ts';
import { MAX_MEMORY_MB, MAX_TIMER_MS } from './limits.ts';
import { alertsSchema } from './config-schema.ts';

const positiveInt = { type: 'integer', minimum: 1 } as const;
/** A memory size: above zero, at most 1 TiB. */
const mb = { type: 'number', exclusiveMinimum: 0, maximum: MAX_MEMORY_MB } as const;
/** A duration in ms that ends up in a timer (or is compared with one), so it must fit in one. */
const timerMs = (minimum: number) => ({ type: 'integer', minimum, maximum: MAX_TIMER_MS }) as const;

export const configSchema = {
  $id: 'https://sync-supervisor.invalid/config.schema.json',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    schedule: {
      oneOf: [
        { type: 'string', minLength: 1, description: 'node-cron expression, optional seconds field' },
        { type: 'object', additionalProperties: false, required: ['everyMs'], properties: { everyMs: timerMs(50) } },
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
        // Ten minutes at most, as graceMs: a run held over its emergency line longer is no spike.
        sustainMs: { type: 'integer', minimum: 0, maximum: 600000 },
        selfSampleIntervalMs: timerMs(100),
      },
    },
    restart: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxAttempts: { type: 'integer', minimum: 1, maximum: 100 },
        backoffMs: timerMs(0),
        backoffMaxMs: timerMs(0),
      },
    },
    run: { type: 'object', additionalProperties: false, properties: { timeoutMs: timerMs(1) } },
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
        minSpanMs: timerMs(0),
        warnMbPerHour: { type: 'number', exclusiveMinimum: 0 },
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
    alerts: alertsSchema,
  },
} as const;
