// Upper bounds: no millisecond setting may overflow Node's timers, and no memory limit may sit where the runner can
// never reach it (which would switch the guard off without a word).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crossCheckConfig } from '../../../supervisor/config/cross-checks.ts';
import { MAX_MEMORY_MB, MAX_TIMER_MS } from '../../../supervisor/config/limits.ts';
import { parseConfig } from '../../../supervisor/config/load-config.ts';
import { configSchema } from '../../../supervisor/config/schema.ts';
import { problemsOf } from '../../helpers/config-problems.ts';


/** `{ a: { b: value } }` from `'a.b'`. */
function configWith(path: string, value: unknown): Record<string, unknown> {
  return path.split('.').reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}

type SchemaNode = { readonly properties?: Readonly<Record<string, SchemaNode>>; readonly oneOf?: readonly SchemaNode[]; readonly maximum?: number };

/** Every key path in the schema whose name ends in `Ms`, with its maximum (undefined when it has none). */
function millisecondKeys(node: SchemaNode, prefix = ''): Array<[string, number | undefined]> {
  const found: Array<[string, number | undefined]> = [];
  for (const branch of node.oneOf ?? []) found.push(...millisecondKeys(branch, prefix));
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (key.endsWith('Ms')) found.push([path, child.maximum]);
    found.push(...millisecondKeys(child, path));
  }
  return found;
}

const MS_KEYS = millisecondKeys(configSchema as SchemaNode);

test('the schema has the millisecond settings the issue lists, and every one is capped at or below 2^31 − 1', () => {
  assert.deepEqual(MS_KEYS.map(([path]) => path).sort(), [
    'alerts.retry.backoffMaxMs', 'alerts.retry.backoffMs', 'alerts.retry.maxAgeMs', 'alerts.timeoutMs',
    'memory.graceMs', 'memory.sampleIntervalMs', 'memory.selfSampleIntervalMs', 'memory.sustainMs', 'restart.backoffMaxMs', 'restart.backoffMs',
    'run.timeoutMs', 'schedule.everyMs', 'trend.minSpanMs',
  ]);
  for (const [path, maximum] of MS_KEYS) assert.ok(maximum !== undefined && maximum <= MAX_TIMER_MS, `${path} has maximum ${maximum}`);
});

for (const [path, maximum] of MS_KEYS) {
  test(`${path}: 3000000000 is refused, naming the key and its maximum`, () => {
    const problems = problemsOf(configWith(path, 3_000_000_000));
    const line = problems.find((p) => p.startsWith(`${path}: `));
    assert.ok(line, `no line for ${path} in:\n${problems.join('\n')}`);
    assert.match(line, new RegExp(`expected a number ≤ ${maximum}.*received 3000000000`));
    if (maximum === MAX_TIMER_MS) assert.match(line, /\(timers cannot wait longer than 2147483647 ms, about 24\.8 days\)/);
  });
}

test('the largest value a timer can hold is accepted for every key capped there, all at once', () => {
  const atCap = MS_KEYS.filter(([, maximum]) => maximum === MAX_TIMER_MS).map(([path]) => path);
  assert.ok(atCap.length >= 6);
  const config: Record<string, unknown> = {};
  for (const path of atCap) {
    // Nested keys (alerts.retry.backoffMs) get their parents made on the way.
    const keys = path.split('.');
    let node = config;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys.at(-1) ?? ''] = MAX_TIMER_MS;
  }
  assert.deepEqual(problemsOf(config), [], JSON.stringify(config));
});

for (const key of ['warnMb', 'emergencyMb', 'hardLimitMb']) {
  test(`memory.${key}: 1e12 is refused with the 1 TiB maximum and why`, () => {
    const problems = problemsOf({ memory: { [key]: 1e12 } });
    assert.ok(
      problems.some((p) => p.startsWith(`memory.${key}: expected a number ≤ ${MAX_MEMORY_MB} (1 TiB; a limit no machine reaches would turn the memory guard off), received 1000000000000`)),
      problems.join('\n'),
    );
  });
}

test('memory.emergencyMb above the memory this machine has is refused, saying how much there is', () => {
  const problems = problemsOf({ memory: { warnMb: 100, emergencyMb: MAX_MEMORY_MB } });
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0] ?? '', /^memory\.emergencyMb: expected at most (this machine's RAM|the cgroup memory limit) \(\d+ MB\), received 1048576; .*memory guard would never act/);
});

test('the machine check is a pure rule: emergencyMb up to the memory there is passes, one MB more does not', () => {
  const config = parseConfig({ memory: { warnMb: 100, emergencyMb: 2000, hardLimitMb: 9000 } }, { cwd: '/' });
  const machine = { mb: 2000, source: 'the test machine' };
  assert.deepEqual(crossCheckConfig(config, machine), [], 'hardLimitMb above the RAM only shortens the grace period');
  assert.deepEqual(crossCheckConfig(config, { ...machine, mb: 1999 }), [
    'memory.emergencyMb: expected at most the test machine (1999 MB), received 2000; the kernel would kill the runner before it got there, so the memory guard would never act',
  ]);
});
