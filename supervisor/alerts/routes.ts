// Which sinks take an alert of a kind, as the outbox rows to write with it.
import { randomUUID } from 'node:crypto';
import type { AlertsConfig } from '../config/types.ts';
import type { NewDelivery } from '../history/outbox.ts';

export type AlertRouter = (kind: string) => NewDelivery[];

interface Routed {
  readonly name: string;
  readonly kinds?: readonly string[] | undefined;
}

/**
 * One row per sink whose `kinds` (all kinds when absent) holds the alert's kind. The idempotency key is a fresh
 * UUID per alert plus the sink name: unique across history files (ids restart in a replaced history.db), and sent
 * with every attempt so a receiver can drop the repeat of a delivery it already took.
 */
export function alertRouter(alerts: AlertsConfig, newId: () => string = randomUUID): AlertRouter {
  const sinks: Routed[] = [...alerts.webhooks, ...alerts.commands, ...(alerts.mail ? [alerts.mail] : [])];
  return (kind) => {
    const takers = sinks.filter((sink) => sink.kinds === undefined || sink.kinds.includes(kind));
    if (takers.length === 0) return [];
    const alertKey = newId();
    return takers.map((sink) => ({ sink: sink.name, idempotencyKey: `${alertKey}/${sink.name}` }));
  };
}
