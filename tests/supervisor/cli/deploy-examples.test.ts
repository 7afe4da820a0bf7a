import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { parseConfig } from '../../../supervisor/config/load-config.ts';
import { supervisorCodes } from '../../../shared/errors/supervisor-codes.ts';

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
    /^\*\/5 \* \* \* \* cd \/opt\/sync-supervisor\/current && set -a && \. \/etc\/sync-supervisor\/sync-supervisor\.env && set \+a && \/usr\/bin\/node --no-turbofan dist\/supervisor\/main\.js run-once --config \S+ >> \S+ 2>&1/m);
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

test('the unit does not restart on an exit that will not fix itself: every supervise exit code but a failed or killed run and a bug', () => {
  const unit = readFileSync(join(DEPLOY, 'systemd', 'sync-supervisor.service'), 'utf8');
  const line = /^RestartPreventExitStatus=(.*)$/m.exec(unit)?.[1];
  assert.ok(line, 'the unit has RestartPreventExitStatus=');
  // 1 and 3 end only a one-shot run; 70 is a bug, which a restart may get past; 10 and 11 belong to
  // `pylantir-server-config` alone, which the unit never runs.
  const restartable = new Set([
    supervisorCodes.RUN_FAILED.exitCode, supervisorCodes.RUN_KILLED.exitCode, supervisorCodes.INTERNAL.exitCode,
    supervisorCodes.PYLANTIR_CONFIG_UNUSABLE.exitCode, supervisorCodes.OUTPUT_FAILED.exitCode,
  ]);
  const expected = Object.values(supervisorCodes).map((code) => code.exitCode).filter((code) => !restartable.has(code));
  assert.deepEqual(line.split(/\s+/).map(Number).sort((a, b) => a - b), [...new Set(expected)].sort((a, b) => a - b));
  assert.ok(doc.includes(`RestartPreventExitStatus=${line}\``), 'ecosystem.md names the same list');
});

test('the Dockerfile is the real one: ecosystem.md links it instead of a copy, and it builds with scripts/ and ships the dashboard', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  assert.ok(!/^```dockerfile/m.test(doc), 'no copy of the Dockerfile in ecosystem.md to drift');
  assert.match(doc, /\[`Dockerfile`\]\(Dockerfile\)/);
  // `npm ci` runs prepare → build → generate, which runs scripts/generate-config-validator.ts.
  assert.match(dockerfile, /^COPY scripts \.\/scripts$/m);
  assert.match(dockerfile, /^RUN npm ci && npm prune --omit=dev$/m);
  // The status server reads supervisor/status/dashboard/ from the package at run time (dashboard-page.ts).
  assert.match(dockerfile, /^COPY --from=build \S+\/supervisor\/status\/dashboard \.\/supervisor\/status\/dashboard$/m);
  assert.match(dockerfile, /^ENTRYPOINT \["node", "--no-turbofan", "dist\/supervisor\/main\.js"\]$/m);
  const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
  for (const needed of ['scripts', 'supervisor', 'shared', 'sync-runner', 'types', 'examples']) assert.ok(!ignored.includes(needed), `.dockerignore keeps ${needed}/ out of the build`);
});

test('the README\'s crontab line and the docs\' check-config command match what ships', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const line = readFileSync(join(DEPLOY, 'cron', 'sync-supervisor.crontab'), 'utf8').split('\n').find((l) => l.startsWith('*/5'));
  assert.ok(line);
  assert.ok(readme.includes(line.slice(0, line.indexOf('2>&1') + 4)), 'README.md prints the shipped crontab line');
  // The env file is root's (0600): root reads it, then runs check-config as the service user.
  assert.match(doc, /sudo sh -c 'set -a; \. \/etc\/sync-supervisor\/sync-supervisor\.env; set \+a; cd \/opt\/sync-supervisor && exec runuser -u sync-supervisor -- \/usr\/bin\/node \S+ check-config --config \/etc\/sync-supervisor\/config\.json'/);
});
