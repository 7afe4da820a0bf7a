import type { Worker } from 'node:worker_threads';

/** As Node's own streams fail on an abort: an AbortError carrying the signal's reason. */
export function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error('The operation was aborted', { cause: signal.reason }), { name: 'AbortError', code: 'ABORT_ERR' });
}

// The messages of one worker, taken one at a time. A worker that crashes, or exits before its last message was taken,
// ends the wait with an error, so its reader never hangs; an abort ends it at once and stops the worker.
// The worker holds the process open only while someone waits on it: a reader dropped without being closed (an error
// between two reads) must not keep a finished runner alive.
export class WorkerInbox<Message> {
  private readonly queue: Message[] = [];
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private readonly onAbort = () => {
    void this.worker.terminate();
    this.notify();
  };

  constructor(private readonly worker: Worker, private readonly signal: AbortSignal, private readonly name: string) {
    worker.unref();
    worker.on('message', (message: Message) => {
      this.queue.push(message);
      this.notify();
    });
    worker.on('messageerror', (error) => this.fail(new Error(`${name}: a message could not be read (${error.message})`, { cause: error })));
    worker.on('error', (error) => this.fail(new Error(`${name} failed: ${error.message}`, { cause: error })));
    // Node delivers a worker's messages before its 'exit', so a worker that finished has been heard out by then.
    worker.on('exit', (code) => this.fail(new Error(`${name} stopped (exit code ${code}) before it had finished`)));
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  /** The next message; rejects on an abort, or once the worker failed or exited and every message it sent was taken. */
  async next(): Promise<Message> {
    for (;;) {
      if (this.signal.aborted) throw abortError(this.signal);
      const message = this.queue.shift();
      if (message !== undefined) return message;
      if (this.failure !== undefined) throw this.failure;
      this.worker.ref();
      try {
        await new Promise<void>((resolve) => (this.wake = resolve));
      } finally {
        this.worker.unref();
      }
    }
  }

  /** Stops the worker and waits until it has. Its listeners stay, so a late 'error' is never an unhandled one. */
  async stop(): Promise<void> {
    this.signal.removeEventListener('abort', this.onAbort);
    // Held until the thread is gone: otherwise a process with nothing else to do could exit in the middle of this await.
    this.worker.ref();
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
