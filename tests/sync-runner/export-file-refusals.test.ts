// Malformed REDCap export files, through the real runner and a real worklist.db: each one fails the source with
// EXPORT_FILE_INVALID (exit 45), a message naming where in the file it went wrong (line and field for CSV, byte and
// line for JSON) and none of its content, and the worklist exactly as the last good sync left it.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { syntheticRecords, toCsv } from '../../examples/demo/synthetic-records.ts';
import type { ResultMessage } from '../../shared/protocol.ts';
import { runRunner } from '../helpers/runner-process.ts';
import { dumpWorklist, makeWorkspace, STANDARD_MAPPING, type Workspace } from '../helpers/runner-workspace.ts';

const ROWS = syntheticRecords(10, { seed: 21 }).flat();
/** One row a line, as REDCap writes them; every case below breaks it within the first batch. */
const GOOD_JSON = `[\n${ROWS.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`;
const GOOD_CSV = toCsv(ROWS);


let ws: Workspace;
/** The worklist after the last good sync, which no malformed file may change. */
let worklistBefore: Awaited<ReturnType<typeof dumpWorklist>> = [];

/** Where `needle` first stands in `text`: its byte offset and 1-based line, as the JSON reader names them. */
function positionOf(text: string, needle: string, from = 0): string {
  const before_ = text.slice(0, text.indexOf(needle, from));
  return `at byte ${Buffer.byteLength(before_)} (line ${before_.split('\n').length})`;
}

const csvLines = GOOD_CSV.split('\r\n');
const withCsvLine = (index: number, edit: (line: string) => string) => csvLines.map((l, i) => (i === index ? edit(l) : l)).join('\r\n');
const secondRowStart = GOOD_JSON.indexOf('\n{', 2) + 1;
const DOUBLED = GOOD_JSON.replace(',\n', ',,\n');
const CUT = GOOD_JSON.slice(0, GOOD_JSON.indexOf('DEMO-00003') + 4);

const cases: { name: string; file: string; text: string; message: string | RegExp }[] = [
  { name: 'CSV: a stray quote in an unquoted field', file: 'export.csv', text: withCsvLine(3, (l) => l.replace(',', ',SE"CRET')), message: 'a quote inside an unquoted field on line 4, field 2 ("redcap_repeat_instrument")' },
  { name: 'CSV: a quote never closed', file: 'export.csv', text: withCsvLine(3, (l) => l.replace(',', ',"SECRET')), message: 'a quoted field in the record starting on line 4, field 2 ("redcap_repeat_instrument") is never closed' },
  { name: 'CSV: text after a closing quote', file: 'export.csv', text: withCsvLine(2, (l) => l.replace(',', ',"x"SECRET')), message: 'text after a closing quote on line 3, field 2' },
  { name: 'JSON: two commas in a row', file: 'export.json', text: DOUBLED, message: `unexpected "," ${positionOf(DOUBLED, ',\n', DOUBLED.indexOf(',,') + 1)}` },
  { name: 'JSON: no comma between items', file: 'export.json', text: `${GOOD_JSON.slice(0, secondRowStart - 2)}\n${GOOD_JSON.slice(secondRowStart)}`, message: /unexpected "\{" at byte \d+ \(line 3\)/ },
  { name: 'JSON: a comma before the first item', file: 'export.json', text: `[,${GOOD_JSON.slice(1)}`, message: 'unexpected "," at byte 1 (line 1)' },
  { name: 'JSON: truncated', file: 'export.json', text: CUT, message: `it ends before the closing "]" (truncated) at byte ${Buffer.byteLength(CUT)} (line ${CUT.split('\n').length})` },
  { name: 'JSON: not an array', file: 'export.json', text: `{"data": ${GOOD_JSON}}`, message: 'it does not start with "[" (not a JSON array) at byte 0 (line 1)' },
  { name: 'JSON: text after the closing bracket', file: 'export.json', text: `${GOOD_JSON}SECRET`, message: `there is text after the closing "]" ${positionOf(`${GOOD_JSON}SECRET`, 'SECRET')}` },
];

async function configure(file: string): Promise<void> {
  await ws.writeConfig({
    db_path: ws.dbPath,
    data_sources: [{ name: 'file', type: 'redcap-export', config: { site: 's', protocol: { s: 'P' }, path: file }, field_mapping: STANDARD_MAPPING }],
  });
}

async function sync(): Promise<{ code: number | null; result: ResultMessage['sources'][number] | undefined; stderr: string }> {
  const run = await runRunner({ cwd: ws.dir, args: ['--pylantir-config', ws.configPath, '--data-dir', ws.dataDir] });
  const result = run.messages.find((m): m is ResultMessage => m.type === 'result')?.sources[0];
  return { code: run.code, result, stderr: run.stderr };
}

before(async () => {
  ws = await makeWorkspace();
  await writeFile(join(ws.dir, 'export.json'), GOOD_JSON);
  await configure('export.json');
  const first = await sync();
  assert.equal(first.code, 0, first.stderr);
  worklistBefore = await dumpWorklist(ws.dbPath, { withUid: true, withId: true });
  assert.ok(worklistBefore.length > 0);
});

for (const c of cases) {
  test(`${c.name}: EXPORT_FILE_INVALID naming the position, no content quoted, worklist unchanged`, async () => {
    await writeFile(join(ws.dir, c.file), c.text);
    await configure(c.file);
    const { code, result, stderr } = await sync();
    assert.equal(code, 45, stderr);
    assert.equal(result?.error?.code, 'EXPORT_FILE_INVALID');
    const message = result?.error?.message ?? '';
    assert.ok(message.startsWith(`export file ${join(ws.dir, c.file)}: is not a `), message);
    if (typeof c.message === 'string') assert.ok(message.includes(c.message), `got      ${message}\nexpected …${c.message}…`);
    else assert.match(message, c.message);
    assert.ok(!`${message}\n${stderr}`.includes('SECRET') && !message.includes('DEMO-'), 'content quoted');
    assert.deepEqual(await dumpWorklist(ws.dbPath, { withUid: true, withId: true }), worklistBefore, 'worklist unchanged');
  });
}
after(() => ws.cleanup());
