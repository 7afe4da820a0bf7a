import { request, type Agent } from 'node:http';

export interface TimedAnswer {
  /** A 200 with its whole body read, within the timeout. */
  readonly ok: boolean;
  readonly ms: number;
}

/**
 * One GET, timed from the call to the end of the body (or the failure); it never rejects. `agent: false` opens a
 * fresh connection, as a liveness probe does; a keep-alive agent reuses one, as a polling client does.
 */
export function timedGet(url: string, options: { agent: Agent | false; timeoutMs: number }): Promise<TimedAnswer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const done = (ok: boolean): void => resolve({ ok, ms: performance.now() - started });
    const req = request(url, { agent: options.agent, timeout: options.timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode === 200));
      res.on('error', () => done(false));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on('error', () => done(false));
    req.end();
  });
}
