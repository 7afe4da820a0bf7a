// JSON Schema of the parts of a Pylantir config the runner reads; every other key is Pylantir's and is allowed.

const hourMinute = {
  type: 'array',
  items: [
    { type: 'integer', minimum: 0, maximum: 23 },
    { type: 'integer', minimum: 0, maximum: 59 },
  ],
  minItems: 2,
  maxItems: 2,
} as const;

const operationInterval = {
  type: 'object',
  required: ['start_time', 'end_time'],
  properties: { start_time: hourMinute, end_time: hourMinute },
} as const;

const protocol = {
  anyOf: [{ type: 'string' }, { type: 'object', additionalProperties: { type: 'string' } }],
} as const;

const fieldMapping = { type: 'object', additionalProperties: { type: 'string', minLength: 1 } } as const;

const positiveInteger = { type: 'integer', minimum: 1 } as const;

// The lifecycle step (issue 20): ours alone, so a misspelt key is refused rather than silently off.
const lifecycle = {
  type: 'object',
  additionalProperties: false,
  properties: {
    cancel_removed: { type: 'boolean' },
    expire_after_days: { type: ['integer', 'null'], minimum: 1, maximum: 3650 },
    max_cancel_fraction: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    dry_run: { type: 'boolean' },
    snapshot_every_minutes: { type: 'integer', minimum: 0, maximum: 10_080 },
  },
} as const;

// Our extensions live in a source's `config`, next to Pylantir's site and protocol.
const sourceConfig = {
  type: 'object',
  properties: {
    site: { type: ['string', 'number'] },
    protocol,
    path: { type: 'string', minLength: 1 },
    record_id_field: { type: 'string', minLength: 1 },
    batch_size: { type: 'integer', minimum: 1, maximum: 5000 },
    request_timeout_ms: positiveInteger,
    max_attempts: { type: 'integer', minimum: 1, maximum: 10 },
    retry_delay_ms: { type: 'integer', minimum: 0 },
    overlap_minutes: { type: 'number', minimum: 0 },
    lifecycle,
  },
} as const;

const dataSource = {
  type: 'object',
  required: ['name', 'type'],
  properties: {
    name: { type: 'string', minLength: 1 },
    type: { type: 'string', minLength: 1 },
    enabled: { type: 'boolean' },
    sync_interval: { type: 'number', minimum: 0 },
    operation_interval: operationInterval,
    config: sourceConfig,
    field_mapping: fieldMapping,
  },
  if: { properties: { type: { const: 'redcap-export' } } },
  then: { required: ['config'], properties: { config: { type: 'object', required: ['path'] } } },
} as const;

export const pylantirConfigSchema = {
  type: 'object',
  properties: {
    db_path: { type: 'string', minLength: 1 },
    data_sources: { type: 'array', items: dataSource },
    // The legacy single-source form, read only when data_sources is absent.
    db_update_interval: { type: 'number', minimum: 0 },
    operation_interval: operationInterval,
    site: { type: ['string', 'number'] },
    protocol,
    redcap2wl: fieldMapping,
  },
} as const;

/** The shape the schema guarantees, as the loader reads it. */
export interface RawSourceConfig {
  site?: string | number;
  protocol?: string | Record<string, string>;
  path?: string;
  record_id_field?: string;
  batch_size?: number;
  request_timeout_ms?: number;
  max_attempts?: number;
  retry_delay_ms?: number;
  overlap_minutes?: number;
  lifecycle?: RawLifecycle;
}

export interface RawLifecycle {
  cancel_removed?: boolean;
  expire_after_days?: number | null;
  max_cancel_fraction?: number;
  dry_run?: boolean;
  snapshot_every_minutes?: number;
}

export interface RawOperationInterval {
  start_time: [number, number];
  end_time: [number, number];
}

export interface RawDataSource {
  name: string;
  type: string;
  enabled?: boolean;
  operation_interval?: RawOperationInterval;
  config?: RawSourceConfig;
  field_mapping?: Record<string, string>;
}

export interface RawPylantirConfig {
  db_path?: string;
  data_sources?: RawDataSource[];
  operation_interval?: RawOperationInterval;
  site?: string | number;
  protocol?: string | Record<string, string>;
  redcap2wl?: Record<string, string>;
}
