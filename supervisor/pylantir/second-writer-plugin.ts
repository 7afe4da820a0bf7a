// A Pylantir server that still runs its own sync into our worklist is a second writer (and the leak this project
// replaces): raise `pylantir-sync-running` at start, then look again at most once per `recheckMs` while ticks run,
// raising again each time it is still there. The sync goes on either way: ours is the one that must keep working.
import type { SupervisorContext, SupervisorPlugin } from '../plugin.ts';
import { ourWorklist } from './our-worklist.ts';
import { findPylantirSyncs, type PylantirFinding } from './second-writer.ts';
import { secondWriterText, unknownPylantirText } from './second-writer-text.ts';

/** An operator who has not fixed it yet hears of it again once an hour, not once a tick. */
export const RECHECK_MS = 60 * 60_000;

export interface SecondWriterPluginOptions {
  readonly env: NodeJS.ProcessEnv;
  /** @default RECHECK_MS */
  readonly recheckMs?: number;
  /** @default findPylantirSyncs, over /proc */
  readonly find?: (ourDbPath: string) => Promise<PylantirFinding[]>;
}

export function createSecondWriterPlugin(options: SecondWriterPluginOptions): SupervisorPlugin {
  const { recheckMs = RECHECK_MS, find = findPylantirSyncs } = options;
  let context: SupervisorContext | undefined;
  let dbPath: string | undefined;
  let lastCheckAtMs = 0;
  /** Processes already said to be undecidable: a warning once per pid, not once an hour. */
  const toldUnknown = new Set<number>();

  async function check(ctx: SupervisorContext, worklist: string): Promise<void> {
    lastCheckAtMs = ctx.now();
    let findings: PylantirFinding[];
    try {
      findings = await find(worklist);
    } catch (error) {
      ctx.logger.warn(`cannot look for a Pylantir process that syncs ${worklist}: ${(error as Error).message}; syncing goes on`);
      return;
    }
    const origin = ctx.config.origin === 'built-in default' ? undefined : ctx.config.origin;
    for (const finding of findings) {
      if (finding.sameWorklist) await ctx.alerts.raise('pylantir-sync-running', { message: secondWriterText(finding, origin) });
      else if (finding.target.kind === 'unknown' && !toldUnknown.has(finding.pid)) {
        toldUnknown.add(finding.pid);
        ctx.logger.warn(unknownPylantirText(finding));
      }
    }
  }

  return {
    name: 'pylantir-second-writer',
    async start(ctx) {
      context = ctx;
      const ours = await ourWorklist(ctx.config, options.env);
      // An unreadable Pylantir config is the runner's to report, with its own code, on the first run.
      if (!ours.ok) return;
      dbPath = ours.dbPath;
      await check(ctx, dbPath);
    },
    async afterRun() {
      if (context === undefined || dbPath === undefined || context.now() - lastCheckAtMs < recheckMs) return;
      await check(context, dbPath);
    },
  };
}
