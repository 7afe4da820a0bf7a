import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { errorCatalogue } from '../../shared/errors/catalogue.ts';
import { historyCodes } from '../../shared/errors/history-codes.ts';
import { runnerCodes } from '../../shared/errors/runner-codes.ts';
import { supervisorCodes } from '../../shared/errors/supervisor-codes.ts';

const doc = readFileSync(new URL('../../ecosystem.md', import.meta.url), 'utf8');

/** The "Error codes" section: from its heading to the next heading of the same level. */
function errorSection(markdown: string): string {
  const start = markdown.search(/^## Error codes\b/m);
  assert.ok(start >= 0, 'ecosystem.md has a "## Error codes" section');
  const rest = markdown.slice(start + 1);
  const end = rest.search(/^## /m);
  return end < 0 ? rest : rest.slice(0, end);
}

/** Rows of the form | `CODE` | exit | hint |, as documented. */
function documentedRows(section: string): Array<{ code: string; exitCode: number; hint: string }> {
  return [...section.matchAll(/^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|\s*(\d+)\s*\|\s*(.*?)\s*\|\s*$/gm)].map((m) => ({
    code: m[1]!, exitCode: Number(m[2]), hint: m[3]!,
  }));
}

const rows = documentedRows(errorSection(doc));

test('every catalogue code is documented in ecosystem.md with its exit code and hint', () => {
  for (const entry of Object.values(errorCatalogue)) {
    const row = rows.find((r) => r.code === entry.code);
    assert.ok(row, `${entry.code} is missing from the error-code table in ecosystem.md`);
    assert.equal(row.exitCode, entry.exitCode, `${entry.code}: exit code in ecosystem.md`);
    assert.equal(row.hint, entry.hint, `${entry.code}: hint in ecosystem.md`);
  }
});

test('ecosystem.md documents no code that does not exist, and none twice', () => {
  const known = new Set(Object.keys(errorCatalogue));
  for (const row of rows) assert.ok(known.has(row.code), `ecosystem.md lists ${row.code}, which is not in shared/errors`);
  assert.equal(new Set(rows.map((r) => r.code)).size, rows.length, 'a code is listed twice');
});

test('the catalogue itself is sound: codes match their keys, exit codes are unique per program, hints are sentences', () => {
  for (const [program, table] of [['supervisor', supervisorCodes], ['history', historyCodes], ['runner', runnerCodes]] as const) {
    const entries = Object.entries(table);
    for (const [key, entry] of entries) {
      assert.equal(entry.code, key);
      assert.ok(Number.isInteger(entry.exitCode) && entry.exitCode > 0 && entry.exitCode < 126, `${key}: exit code in 1..125`);
      assert.match(entry.hint, /^[A-Z`].*\.$/, `${key}: the hint is one sentence an operator can act on`);
      assert.ok(!entry.hint.includes('|'), `${key}: a "|" would break the markdown table`);
    }
    const exits = entries.map(([, e]) => e.exitCode);
    assert.equal(new Set(exits).size, exits.length, `${program}: two codes share an exit code`);
  }
  assert.equal(Object.keys(errorCatalogue).length, Object.keys(supervisorCodes).length + Object.keys(historyCodes).length + Object.keys(runnerCodes).length, 'no code name is shared between programs');
});
