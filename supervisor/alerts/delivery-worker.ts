// Delivers the outbox, apart from everything else: due rows are claimed, sent under a deadline each, and closed as
// delivered, retried later or failed. Nothing here is awaited by a tick, the memory watch or a kill; a sink that
// hangs holds one of `maxInFlight` slots until its deadline (and the short wind-down its stop takes), then its row
// waits for the next try. A row is never tried again while an attempt of it still runs.
import { hostname } from 'node:os';
import type { Logger } from '../../shared/logger.ts';
import { redactText } from '../../shared/redact.ts';
import type { Database } from '../../shared/sqlite.ts';
import type { AlertRetryConfig } from '../config/types.ts';
import type { HistoryHint } from '../history/history-command.ts';
import { claimDelivery, deleteOrphanDeliveries, dueDeliveries, markAttemptFailed, markDelivered, nextDueAt, type DueDelivery } from '../history/outbox.ts';
import { alertPayload } from './payload.ts';
import { nextAttemptAt, retryDelayMs } from './retry-policy.ts';
import type { Delivered, Sink } from './sinks/sink.ts';
import { DeliveryError } from './delivery-error.ts';
import { startRequestDeadline } from '../../shared/request-deadline.ts';

export interface DeliveryWorkerOptions {
  /** Asked at each use: the store swaps its connection when history.db is replaced. */
  readonly db: () => Database;
  readonly sinks: ReadonlyMap<string, Sink>;
  readonly retry: AlertRetryConfig;
  /** Each attempt ends within this (or the sink's own `timeoutMs`), whatever the sink does. */
  readonly timeoutMs: number;
  readonly logger: Logger;
  /** Words `history …` as a complete command for this supervisor's history, for actions and log hints. */
  readonly history: HistoryHint;
  /** Never shown in the log or written to last_error. */
  readonly secrets: readonly string[];
  /** @default Date.now */
  readonly now?: () => number;
  /** @default 8 */
  readonly maxInFlight?: number;
  /** @default os.hostname() */
  readonly host?: string;
  /** Told how long each idle wait will be (undefined: until a nudge or a stop), before it starts (tests count the loop's turns with it). */
  readonly onIdle?: (waitMs: number | undefined) => void;
}

/** Past the attempt's deadline, how long its claim still holds before another attempt may take the row. */
const LEASE_SLACK_MS = 5000;
/**
 * Past the deadline, how long a sink has to wind down (a command's group: SIGTERM, grace, SIGKILL) before the worker
 * stops waiting for it. Shorter than the lease slack, so the row is never free while its attempt may still run.
 */
const WIND_DOWN_MS = 3500;
/** While the outbox cannot be read (history.db locked, gone), how often the worker looks again. */
const RETRY_AFTER_TROUBLE_MS = 30_000;
/** setTimeout's longest delay; a due time further off is waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class DeliveryWorker {
  private readonly now: () => number;
  private readonly inFlight = new Set<number>();
  private readonly attempts = new Set<Promise<void>>();
  /** Aborts the attempts still running when a stop's drain time is up. */
  private readonly cancel = new AbortController();
  private readonly halt = new AbortController();
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private nudged = false;
  private readonly failingSinks = new Set<string>();
  /** Sinks whose answers hit a bound already this process: the log says so once per sink, the rows each time. */
  private readonly boundSinks = new Set<string>();
  private readonly host: string;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.now = options.now ?? Date.now;
    this.host = options.host ?? hostname();
  }

  /** Starts looking at the outbox; rows a previous (even SIGKILLed) supervisor left pending go first. */
  start(): void {
    this.loop ??= this.run();
  }

  /** An alert with outbox rows was just written (or an attempt ended and freed its slot): look now. */
  notify(): void {
    this.nudged = true;
    this.wake?.();
  }

  /**
   * Sends what is due now and waits up to `drainMs` for it (a run-once's kill alert goes out before exit); attempts
   * still running then are cut, and their rows stay pending for the next start.
   */
  async stop(drainMs: number): Promise<void> {
    this.halt.abort();
    this.wake?.();
    await this.loop;
    await this.pass().catch(() => undefined);
    const drained = Promise.allSettled([...this.attempts]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([drained, new Promise<void>((resolve) => (timer = setTimeout(resolve, drainMs)))]);
    clearTimeout(timer);
    this.cancel.abort();
    await drained;
  }

  private async run(): Promise<void> {
    let troubleLogged = false;
    // Rows whose alert was deleted behind our back: nothing is left to send, and they would count as pending for ever.
    const orphans = await deleteOrphanDeliveries(this.options.db()).catch(() => 0);
    if (orphans > 0) this.options.logger.warn(`alert outbox: deleted ${orphans} deliveries whose alert row was gone (deleted outside the supervisor)`);
    while (!this.halt.signal.aborted) {
      let troubled = false;
      try {
        await this.pass();
        troubleLogged = false;
      } catch (error) {
        if (!troubleLogged) this.options.logger.error(`alert delivery cannot read the outbox: ${(error as Error).message}; trying again every ${RETRY_AFTER_TROUBLE_MS / 1000} s`);
        troubleLogged = true;
        troubled = true;
      }
      await this.sleep(troubled);
    }
  }

  /** Starts an attempt for each due row not already in flight, up to the slot limit. */
  private async pass(): Promise<void> {
    const free = (this.options.maxInFlight ?? 8) - this.inFlight.size;
    if (free <= 0) return;
    const rows = await dueDeliveries(this.options.db(), this.now(), free + this.inFlight.size);
    for (const row of rows.filter((r) => !this.inFlight.has(r.id)).slice(0, free)) {
      this.inFlight.add(row.id);
      const attempt = this.attempt(row).catch((error: unknown) => {
        this.options.logger.error(`alert delivery ${row.idempotency_key}: cannot update the outbox: ${(error as Error).message}; the row is tried again later`);
      }).finally(() => {
        this.inFlight.delete(row.id);
        this.attempts.delete(attempt);
        this.notify();
      });
      this.attempts.add(attempt);
    }
  }

  private async attempt(row: DueDelivery): Promise<void> {
    const { db, sinks, logger } = this.options;
    const sink = sinks.get(row.sink);
    if (!sink) {
      await markAttemptFailed(db(), row.id, `sink "${row.sink}" is no longer in the config`, undefined);
      logger.warn(`alert ${row.kind} (run ${row.run_id ?? '-'}) not delivered: sink "${row.sink}" is no longer in the config`);
      return;
    }
    const timeoutMs = sink.ownTimeoutMs === undefined ? this.options.timeoutMs : sink.ownTimeoutMs + WIND_DOWN_MS;
    const startedAt = this.now();
    if (!(await claimDelivery(db(), row.id, startedAt, startedAt + timeoutMs + LEASE_SLACK_MS))) return;
    const deadline = startRequestDeadline(this.cancel.signal, timeoutMs);
    let delivered: Delivered;
    try {
      // Awaited until the sink has really ended (it is told at the deadline and has WIND_DOWN_MS to stop), never only
      // until the deadline: a retry started while this attempt still talks to the relay would send the alert twice.
      delivered = await settledWithin(sink.deliver(alertPayload(row, this.host, this.options.history), deadline.signal), timeoutMs + WIND_DOWN_MS);
    } catch (error) {
      if (this.cancel.signal.aborted) return await this.cutByStop(row);
      const bound = error instanceof DeliveryError ? error.boundHit : undefined;
      this.boundHit(row.sink, bound);
      await this.failed(row, redactText(`${(error as Error).message}${bound === undefined ? '' : `; ${bound}`}`, this.options.secrets));
      return;
    } finally {
      deadline.release();
    }
    const note = delivered.boundHit === undefined ? null : redactText(`delivered; ${delivered.boundHit}`, this.options.secrets);
    await markDelivered(db(), row.id, this.now(), note);
    this.boundHit(row.sink, delivered.boundHit);
    if (this.failingSinks.delete(row.sink)) logger.info(`alert sink ${row.sink} works again`);
    logger.debug(`alert ${row.kind} delivered to ${row.sink} (attempt ${row.attempts + 1})`, { idempotencyKey: row.idempotency_key });
  }

  /** A bound hit by a sink's answer: logged once per sink (every row records its own in last_error). */
  private boundHit(sink: string, what: string | undefined): void {
    if (what === undefined || this.boundSinks.has(sink)) return;
    this.boundSinks.add(sink);
    this.options.logger.warn(`alert sink ${sink}: ${redactText(what, this.options.secrets)}; said once, each delivery row records it in last_error`);
  }

  /**
   * Cut when a stop's drain time ran out, not failed by the sink: whatever the sink said (a mail sink only sees its
   * signal aborted and blames its timeout), the truth is the stop. Due again at once, so the next start sends it first.
   */
  private async cutByStop(row: DueDelivery): Promise<void> {
    const why = "cut short by the supervisor's stop before the sink answered; sent again at the next start";
    await markAttemptFailed(this.options.db(), row.id, why, this.now());
    this.options.logger.warn(`alert ${row.kind} (run ${row.run_id ?? '-'}) to sink ${row.sink}: ${why}`);
  }

  private async failed(row: DueDelivery, why: string): Promise<void> {
    const attempts = row.attempts + 1;
    const next = nextAttemptAt({ attempts, createdAtMs: row.created_at_ms, nowMs: this.now() }, this.options.retry);
    await markAttemptFailed(this.options.db(), row.id, why, next);
    const what = `alert ${row.kind} (run ${row.run_id ?? '-'}) to sink ${row.sink}, attempt ${attempts}: ${why}`;
    if (next === undefined) {
      this.options.logger.error(`gave up delivering ${what}; see \`${this.options.history(['alerts'])}\``);
    } else if (!this.failingSinks.has(row.sink)) {
      // Said once per outage of a sink, not at every retry of every alert.
      this.failingSinks.add(row.sink);
      this.options.logger.warn(`cannot deliver ${what}; retrying in ${Math.round(retryDelayMs(attempts, this.options.retry) / 1000)} s and backing off up to ${Math.round(this.options.retry.backoffMaxMs / 1000)} s`);
    } else {
      this.options.logger.debug(`cannot deliver ${what}`);
    }
  }

  /**
   * Until a nudge, the next due row (a retry, or a claim a dead predecessor left) or a stop, whichever comes first;
   * with all slots taken, until an attempt ends (it nudges). No poll: every outbox row is written by this process's
   * Alerts.raise, which nudges once it lands (the history CLI opens history.db read-only, and a run-once that finds
   * the lock held writes a `skipped` run row and no alert). Only while the outbox cannot be read is it looked at again
   * every RETRY_AFTER_TROUBLE_MS.
   */
  private async sleep(troubled: boolean): Promise<void> {
    const full = this.inFlight.size >= (this.options.maxInFlight ?? 8);
    let waitMs: number | undefined = troubled ? RETRY_AFTER_TROUBLE_MS : undefined;
    if (!troubled && !full) {
      const next = await nextDueAt(this.options.db()).catch(() => null);
      if (next === null) waitMs = RETRY_AFTER_TROUBLE_MS;
      else if (next !== undefined) waitMs = Math.min(Math.max(next - this.now(), 0), MAX_TIMER_MS);
    }
    this.options.onIdle?.(this.nudged ? 0 : waitMs);
    if (this.nudged || this.halt.signal.aborted) {
      this.nudged = false;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      if (waitMs !== undefined) timer = setTimeout(resolve, waitMs);
    });
    clearTimeout(timer);
    this.wake = undefined;
    this.nudged = false;
  }
}

/** The sink's promise, given up on after `limitMs` if the sink ignores its signal (a bug in the sink, not a path). */
function settledWithin(work: Promise<Delivered>, limitMs: number): Promise<Delivered> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeliveryError(`the sink did not stop within ${limitMs} ms of its attempt's start`)), limitMs);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}
