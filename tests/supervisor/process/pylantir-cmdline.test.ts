import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePylantirCmdline } from '../../../supervisor/process/pylantir-cmdline.ts';
import { passwdHome } from '../../../supervisor/process/pylantir-processes.ts';

test('Pylantir command lines: the console script, options before the command, =FILE, prefixes, -m, a wrapper', () => {
  const start = (configArg: string | undefined) => ({ command: 'start', configArg });
  assert.deepEqual(parsePylantirCmdline(['/usr/bin/python3', '/usr/local/bin/pylantir', 'start', '--pylantir_config', '/etc/p.json']), start('/etc/p.json'));
  assert.deepEqual(parsePylantirCmdline(['/opt/venv/bin/python', '-u', '/opt/venv/bin/pylantir', '--pylantir_config=p.json', 'start']), start('p.json'));
  assert.deepEqual(parsePylantirCmdline(['python3.11', '/usr/local/bin/pylantir', '--AEtitle', 'MWL', '--port', '4242', 'start', '--pyl', 'a.json']), start('a.json'));
  assert.deepEqual(parsePylantirCmdline(['python3', '-m', 'pylantir.cli.run', 'start']), start(undefined));
  assert.deepEqual(parsePylantirCmdline(['pylantir', 'start', '--pylantir_config', 'a.json', '--pylantir_config', 'b.json']), start('b.json'));
  assert.deepEqual(parsePylantirCmdline(['/usr/bin/python3', '/usr/local/bin/pylantir', 'start-api', '--pylantir_config', 'a.json']), { command: 'start-api', configArg: 'a.json' });
  // `--p` is ambiguous for argparse (--port, --password): not the config.
  assert.deepEqual(parsePylantirCmdline(['pylantir', '--p', 'x', 'start']), start(undefined));
  for (const other of [['/usr/bin/python3', '/usr/bin/pip', 'install', 'pylantir'], ['node', 'pylantir', 'start'], ['/bin/sh', '-c', 'pylantir start'], ['python3', '-m', 'http.server'], []]) {
    assert.equal(parsePylantirCmdline(other), undefined, other.join(' '));
  }
});

test('a uid\'s home from /etc/passwd', () => {
  const passwd = 'root:x:0:0:root:/root:/bin/bash\npylantir:x:998:998::/var/lib/pylantir:/usr/sbin/nologin\n';
  assert.equal(passwdHome(passwd, '998'), '/var/lib/pylantir');
  assert.equal(passwdHome(passwd, '1000'), undefined);
  assert.equal(passwdHome(passwd, undefined), undefined);
});
