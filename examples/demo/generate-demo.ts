// Regenerates examples/demo/redcap-export.json: `node --import tsx examples/demo/generate-demo.ts`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { syntheticRecords } from './synthetic-records.ts';

const rows = syntheticRecords(200, { seed: 42, missingStudyIdEvery: 97 }).flat();
const target = fileURLToPath(new URL('./redcap-export.json', import.meta.url));
writeFileSync(target, `[\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`);
process.stdout.write(`wrote ${rows.length} rows to ${target}\n`);
