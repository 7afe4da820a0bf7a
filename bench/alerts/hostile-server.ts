// Starts bench/alerts/hostile-server-child.ts and keeps the arrival times it reports, on this process's clock
// (performance.now()), to compare with a kill's crossing.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export interface HostileServer {
  readonly origin: string;
  readonly bombWireBytes: number;
  /** performance.now() of each request's arrival, oldest first. */
  readonly arrivals: number[];
  close(): Promise<void>;
}

type ChildMessage = { type: 'ready'; origin: string; bombWireBytes: number } | { type: 'request'; atMs: number };

export async function startHostileServer(): Promise<HostileServer> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./hostile-server-child.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const arrivals: number[] = [];
  const ready = new Promise<{ origin: string; bombWireBytes: number }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the hostile server exited ${code} before it listened`)));
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') resolve(message);
      else arrivals.push(message.atMs - performance.timeOrigin);
    });
  });
  const { origin, bombWireBytes } = await ready;
  return {
    origin, bombWireBytes, arrivals,
    close: async () => {
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}
