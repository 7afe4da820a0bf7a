/** One HTTP exchange's abort: its own timer, and the run's signal relayed into it. Release it when the exchange ends. */
export interface RequestDeadline {
  /** Aborts when the time is up or the run is aborted; give it to fetch and keep reading the body under it. */
  readonly signal: AbortSignal;
  /** True once the timer, not the run, aborted the exchange. */
  timedOut(): boolean;
  /** Clears the timer and the listener on the run's signal; call it in `finally`. */
  release(): void;
}

// Owned on purpose, not AbortSignal.timeout() or AbortSignal.any(): on Node 20 those signals are only weakly held,
// so a garbage collection during a long request can collect them and then nothing ever aborts it (a runner hung
// in the field this way). Here the timer's callback holds the controller and the run's listener holds it too, so
// the abort fires whatever the collector does, and release() leaves nothing behind across thousands of requests.
export function startRequestDeadline(runSignal: AbortSignal, timeoutMs: number): RequestDeadline {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`no complete answer within ${timeoutMs} ms`));
  }, timeoutMs);
  const relay = () => controller.abort(runSignal.reason);
  if (runSignal.aborted) relay();
  else runSignal.addEventListener('abort', relay, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    release: () => {
      clearTimeout(timer);
      runSignal.removeEventListener('abort', relay);
    },
  };
}
