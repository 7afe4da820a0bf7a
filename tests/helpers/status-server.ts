// Shared by the status tests: an in-process supervisor with the status plugin on an ephemeral port, and a plain HTTP client.
import { request } from 'node:http';
import { after } from 'node:test';
import { closeLogger } from '../../shared/logger.ts';
import { Supervisor } from '../../supervisor/supervisor.ts';
import { createStatusPlugin, type StatusPlugin, type StatusPluginOptions } from '../../supervisor/status/status-plugin.ts';
import { capturedLogger, fixtureConfig } from './harness.ts';

export interface StatusHarness {
  readonly supervisor: Supervisor;
  readonly plugin: StatusPlugin;
  readonly base: string;
  readonly lines: string[];
  readonly waitFor: (pattern: RegExp) => Promise<string>;
  stop(): Promise<void>;
}

/** Starts a supervisor for `script` with the status server on port 0; stopped after the test file at the latest. */
export async function startWithStatus(
  script: string,
  args: string[],
  overrides: Record<string, unknown> = {},
  options: Partial<StatusPluginOptions> & { now?: () => number } = {},
): Promise<StatusHarness> {
  const { status, ...rest } = overrides as { status?: Record<string, unknown> };
  const config = await fixtureConfig(script, args, { ...rest, status: { port: 0, ...status } });
  const { logger, lines, waitFor } = capturedLogger();
  const plugin = createStatusPlugin({ env: options.env ?? {}, ...(options.trend ? { trend: options.trend } : {}) });
  const supervisor = new Supervisor({ config, logger, plugins: [plugin], ...(options.now ? { now: options.now } : {}) });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await supervisor.stop();
    await closeLogger(logger);
  };
  after(stop);
  await supervisor.start();
  const address = plugin.address();
  if (!address) throw new Error('status server did not start');
  return { supervisor, plugin, base: address.url, lines, waitFor, stop };
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One request on a fresh connection (no pooling, so a closed server never surprises the next test). */
export function http(url: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export async function getJson<T>(url: string, headers: Record<string, string> = {}): Promise<{ status: number; json: T }> {
  const answer = await http(url, { headers });
  return { status: answer.status, json: JSON.parse(answer.body) as T };
}
