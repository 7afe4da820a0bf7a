// check-config's look at the worklist a run would write: where it is (resolved as the runner resolves it), whether
// it is there and how many rows it holds, where it should not be, and whether a Pylantir server syncs into it too.
import type { SupervisorConfig } from '../config/types.ts';
import { worklistLocationWarnings } from '../pylantir/location-warnings.ts';
import { ourWorklist } from '../pylantir/our-worklist.ts';
import { findPylantirSyncs } from '../pylantir/second-writer.ts';
import { secondWriterText, unknownPylantirText } from '../pylantir/second-writer-text.ts';
import { worklistFacts, type WorklistFacts } from '../pylantir/worklist-facts.ts';

export interface WorklistCheck {
  /** What is said whatever the verdict: the path and its state, then the warnings. */
  readonly lines: readonly string[];
  /** What fails check-config: a second writer. */
  readonly problems: readonly string[];
}

function factsText(dbPath: string, facts: WorklistFacts): string {
  if (!facts.exists) return `worklist ${dbPath}: does not exist yet (the first run creates it; Pylantir must serve this same file)`;
  if (facts.rows === undefined) return `worklist ${dbPath}: exists, but ${facts.why}`;
  return `worklist ${dbPath}: exists, ${facts.rows} row(s) in worklist_items`;
}

export async function worklistCheck(config: SupervisorConfig, env: NodeJS.ProcessEnv): Promise<WorklistCheck> {
  const ours = await ourWorklist(config, env);
  // An unreadable or invalid Pylantir config is reported by the runner's own check, with its code.
  if (!ours.ok) return { lines: [], problems: [] };
  const lines = [factsText(ours.dbPath, await worklistFacts(ours.dbPath))];
  lines.push(...worklistLocationWarnings(ours.config.db_path, ours.dbPath).map((warning) => `warning: ${warning}`));
  const problems: string[] = [];
  const origin = config.origin === 'built-in default' ? undefined : config.origin;
  for (const finding of await findPylantirSyncs(ours.dbPath)) {
    if (finding.sameWorklist) problems.push(`second writer: ${secondWriterText(finding, origin)}`);
    else if (finding.target.kind === 'unknown') lines.push(`warning: ${unknownPylantirText(finding)}`);
  }
  return { lines, problems };
}
