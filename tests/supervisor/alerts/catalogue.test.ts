import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { alertAction } from '../../../supervisor/alerts/action-text.ts';
import { alertCatalogue, ALERT_KINDS, trendAlertKind } from '../../../supervisor/vocabulary/alert-catalogue.ts';
import { historyHint } from '../../../supervisor/history/history-command.ts';

const doc = readFileSync(new URL('../../../ecosystem.md', import.meta.url), 'utf8');

/** The "## Alerts" section: from its heading to the next heading of the same level. */
function alertsSection(markdown: string): string {
  const start = markdown.search(/^## Alerts\b/m);
  assert.ok(start >= 0, 'ecosystem.md has a "## Alerts" section');
  const rest = markdown.slice(start + 1);
  const end = rest.search(/^## /m);
  return end < 0 ? rest : rest.slice(0, end);
}

/** Rows of the form | `kind` | severity | recovers | meaning | action |. */
const rows = [...alertsSection(doc).matchAll(/^\|\s*`([a-z-]+)`\s*\|\s*(\w+)\s*\|\s*(yes|no)\s*\|\s*(.*?)\s*\|\s*(.*?)\s*\|\s*$/gm)].map((m) => ({
  kind: m[1]!, severity: m[2]!, recovers: m[3] === 'yes', meaning: m[4]!, action: m[5]!,
}));

/**
 * An action as the docs print it: as sent for a supervisor of the systemd layout (node in /usr/bin, the package in
 * /opt/sync-supervisor, the config in /etc/sync-supervisor), with `<id>` where the run id goes.
 */
const DOC_RUN_ID = 987654321;
const docHint = historyHint({ origin: '/etc/sync-supervisor/config.json', dataDir: '/var/lib/sync-supervisor' }, { node: '/usr/bin/node', packageRoot: '/opt/sync-supervisor' });
const documented = (action: string): string => alertAction(action, docHint, DOC_RUN_ID).replaceAll(String(DOC_RUN_ID), '<id>');

test('an action is sent with complete history commands: absolute node, main.js, the run id and --config', () => {
  assert.equal(
    alertAction('Read the run with `history run <id>`, then `history trend`.', docHint, 42),
    'Read the run with `/usr/bin/node /opt/sync-supervisor/dist/supervisor/main.js history run 42 --config /etc/sync-supervisor/config.json`, ' +
      'then `/usr/bin/node /opt/sync-supervisor/dist/supervisor/main.js history trend --config /etc/sync-supervisor/config.json`.',
  );
  for (const kind of ALERT_KINDS) assert.ok(!alertCatalogue[kind].action.includes('npm run'), `${kind}: npm run reads ./data of the folder it is typed in`);
});

test('every alert kind is documented in ecosystem.md with its severity, whether it recovers, its meaning and what to do', () => {
  for (const kind of ALERT_KINDS) {
    const entry = alertCatalogue[kind];
    const row = rows.find((r) => r.kind === kind);
    assert.ok(row, `${kind} is missing from the Alerts table in ecosystem.md`);
    assert.deepEqual(row, { kind, severity: entry.severity, recovers: entry.recovers, meaning: entry.meaning, action: documented(entry.action) }, kind);
  }
});

test('ecosystem.md documents no kind that does not exist, and none twice', () => {
  for (const row of rows) assert.ok((ALERT_KINDS as string[]).includes(row.kind), `ecosystem.md lists ${row.kind}, which is not in the catalogue`);
  assert.equal(new Set(rows.map((r) => r.kind)).size, rows.length);
});

test('the catalogue is sound: sentences without table-breaking pipes, and every trend condition has a kind', () => {
  for (const kind of ALERT_KINDS) {
    const { meaning, action } = alertCatalogue[kind];
    for (const text of [meaning, action]) {
      assert.match(text, /^[A-Z`a-z].*\.$/, `${kind}: a sentence`);
      assert.ok(!text.includes('|'), `${kind}: a "|" would break the markdown table`);
    }
  }
  for (const source of ['runner', 'supervisor'] as const) {
    for (const condition of ['growth', 'absolute'] as const) assert.ok(alertCatalogue[trendAlertKind(source, condition)].recovers);
  }
});
