// A history store and the Alerts over it, tied so that the store's own incidents (history.db reopened, writes landing
// again after a gap) are raised the one way (raise.ts): log line at the kind's level, row and outbox rows, nudge to
// the delivery worker. history/ sits below alerts/ and cannot import it, so the tie is made here.
import type { Database } from '../../shared/sqlite.ts';
import { HistoryStore, type HistoryStoreOptions } from '../history/store.ts';
import { Alerts, type AlertsOptions } from './raise.ts';

export interface AlertingHistory {
  readonly store: HistoryStore;
  readonly alerts: Alerts;
}

export function alertingHistory(db: Database, storeOptions: Omit<HistoryStoreOptions, 'onIncident'>, alertsOptions: Omit<AlertsOptions, 'store'>): AlertingHistory {
  // Raised synchronously (raise queues its row before it returns): a reopen's alert then goes first into the new file.
  const store = new HistoryStore(db, { ...storeOptions, onIncident: (kind, details) => void alerts.raise(kind, details) });
  const alerts = new Alerts({ ...alertsOptions, store });
  return { store, alerts };
}
