import { randomUUID } from 'node:crypto';
import type { SupervisorPlugin } from '../plugin.ts';
import { historyHint, type HistoryHint } from '../history/history-command.ts';
import { DeliveryError } from './delivery-error.ts';
import { sendHttp } from './http-post.ts';
import { healthcheckPing } from './healthcheck-ping.ts';
import { alertSecrets, resolveSecret } from './sink-secrets.ts';
import { redactText } from '../../shared/redact.ts';

export interface HealthcheckPluginOptions {
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Dead man's switch pings, healthchecks.io style: `/start` as a run starts, the URL on success, `/fail` with a short
 * summary on a failure or kill, each with the run's `rid` so overlapping pings pair up. Sent at once and never
 * queued: a ping is about now, and a late one would tell the checker a run ended when it did not. A site hears of
 * a supervisor that stopped, too, because the checker then hears nothing. Never awaited by the tick.
 */
export function createHealthcheckPlugin(options: HealthcheckPluginOptions): SupervisorPlugin {
  let send: ((ping: { path: string; rid: string; body?: string }) => void) | undefined;
  let history: HistoryHint | undefined;
  const rids = new Map<number, string>();
  const pending = new Set<Promise<void>>();
  const halt = new AbortController();
  return {
    name: 'healthcheck',
    async start(context) {
      const { alerts } = context.config;
      if (!alerts.healthcheck) return;
      history = historyHint(context.config);
      const base = resolveSecret(alerts.healthcheck.url, 'alerts.healthcheck.url', options.env);
      const secrets = alertSecrets(alerts, options.env);
      let failing = false;
      let boundSaid = false;
      // An answer cut at its cap: said once per process (pings are not recorded anywhere else).
      const bound = (what: string | undefined): void => {
        if (what === undefined || boundSaid) return;
        boundSaid = true;
        context.logger.warn(`healthcheck: ${redactText(what, secrets)}; said once`);
      };
      send = ({ path, rid, body }) => {
        const url = new URL(base);
        url.pathname = `${url.pathname.replace(/\/$/, '')}${path}`;
        url.searchParams.set('rid', rid);
        const request = body === undefined
          ? { url: url.href, method: 'GET' as const }
          : { url: url.href, method: 'POST' as const, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
        const ping = sendHttp(request, halt.signal, alerts.timeoutMs).then(
          (answer) => {
            bound(answer.boundHit);
            if (failing) context.logger.info('healthcheck pings work again');
            failing = false;
          },
          (error: unknown) => {
            bound(error instanceof DeliveryError ? error.boundHit : undefined);
            // Once per outage: the checker itself alerts on the missing pings.
            if (!failing) context.logger.warn(`healthcheck ping${path ? ` ${path}` : ''} failed: ${redactText((error as Error).message, secrets)}; pings are not retried`);
            failing = true;
          },
        ).finally(() => pending.delete(ping));
        pending.add(ping);
      };
    },
    runStarted(runId) {
      if (!send) return;
      const rid = randomUUID();
      rids.set(runId, rid);
      send({ path: '/start', rid });
    },
    async afterRun(runId, report) {
      const rid = rids.get(runId);
      rids.delete(runId);
      if (!send || !history || rid === undefined) return;
      const ping = healthcheckPing(runId, report, history);
      if (ping) send({ ...ping, rid });
    },
    async stop() {
      // A ping under way gets its own deadline to finish; nothing new is sent.
      send = undefined;
      await Promise.allSettled([...pending]);
      halt.abort();
    },
  };
}
