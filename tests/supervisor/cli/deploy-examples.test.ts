import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { parseConfig } from '../../../supervisor/config/load-config.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DEPLOY = join(ROOT, 'examples', 'deploy');
const doc = readFileSync(join(ROOT, 'ecosystem.md'), 'utf8');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test('every file in examples/deploy is inlined verbatim in ecosystem.md', () => {
  const files = filesUnder(DEPLOY);
  assert.ok(files.length >= 8);
  for (const file of files) {
    const name = relative(ROOT, file);
    assert.ok(doc.includes(`\`${name}\``), `ecosystem.md names ${name}`);
    assert.ok(doc.includes(readFileSync(file, 'utf8').trimEnd()), `ecosystem.md holds the current text of ${name}; re-inline it`);
  }
});

test('the example config passes the same validation as check-config', () => {
  const file = join(DEPLOY, 'config.json');
  const config = parseConfig(JSON.parse(readFileSync(file, 'utf8')), { file, cwd: ROOT });
  assert.equal(config.status.tokenEnv, 'SYNC_STATUS_TOKEN');
  assert.equal(config.dataDir, '/var/lib/sync-supervisor');
  const inConfigMap = /config\.json: \|\n([\s\S]*?\n    \})\n/.exec(readFileSync(join(DEPLOY, 'k8s', 'configmap.yaml'), 'utf8'))?.[1];
  assert.ok(inConfigMap, 'the ConfigMap holds a config.json');
  parseConfig(JSON.parse(inConfigMap), { file: '/etc/sync-supervisor/config.json', cwd: ROOT });
});

test('the unit, crontab and CronJob carry the settings ecosystem.md promises', () => {
  const unit = readFileSync(join(DEPLOY, 'systemd', 'sync-supervisor.service'), 'utf8');
  for (const line of ['Restart=always', 'KillMode=control-group', 'Slice=sync-supervisor.slice', 'WorkingDirectory=/opt/sync-supervisor',
    'EnvironmentFile=/etc/sync-supervisor/sync-supervisor.env',
    'ExecStart=/usr/bin/node --no-turbofan /opt/sync-supervisor/dist/supervisor/main.js --config /etc/sync-supervisor/config.json']) {
    assert.ok(unit.split('\n').includes(line), line);
  }
  assert.match(readFileSync(join(DEPLOY, 'systemd', 'sync-supervisor.slice'), 'utf8'), /^MemoryMax=\d+[MG]$/m);
  assert.match(readFileSync(join(DEPLOY, 'cron', 'sync-supervisor.crontab'), 'utf8'),
    /^\*\/5 \* \* \* \* cd \/opt\/sync-supervisor && \/usr\/bin\/node --no-turbofan dist\/supervisor\/main\.js run-once --config \S+ >> \S+ 2>&1/m);
  const cronJob = readFileSync(join(DEPLOY, 'k8s', 'cronjob.yaml'), 'utf8');
  for (const pattern of [/concurrencyPolicy: Forbid/, /limits: \{ memory: \w+ \}/, /persistentVolumeClaim:/, /run-once/]) assert.match(cronJob, pattern);
});

test('every shipped way of starting the supervisor gives node the flags `npm run supervise` does', () => {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const flags = (scripts.supervise ?? '').split(' ').filter((word) => word.startsWith('--'));
  assert.ok(flags.includes('--no-turbofan'), 'see "Memory tuning" in ecosystem.md');
  const commandLines = [
    scripts['sync-once'] ?? '',
    readFileSync(join(DEPLOY, 'systemd', 'sync-supervisor.service'), 'utf8'),
    readFileSync(join(DEPLOY, 'cron', 'sync-supervisor.crontab'), 'utf8'),
    readFileSync(join(DEPLOY, 'k8s', 'deployment.yaml'), 'utf8'),
    readFileSync(join(DEPLOY, 'k8s', 'cronjob.yaml'), 'utf8'),
    readFileSync(join(ROOT, 'Dockerfile'), 'utf8'),
  ];
  for (const text of commandLines) {
    const starts = text.split('\n').filter((line) => /dist\/supervisor\/main\.js/.test(line) && !/ history/.test(line));
    assert.ok(starts.length > 0, text.slice(0, 80));
    for (const line of starts) for (const flag of flags) assert.ok(line.includes(flag), `${flag} missing in: ${line.trim()}`);
  }
});
