// The supervisor's lifecycle as an explicit table; an illegal transition is a bug and throws. The same table says
// what each state lets happen, so "may a tick start now?" has one answer, read from the state.

export type LifecycleState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

/** What the supervisor may begin: start its schedule, or start a tick (a slot's or `--once`'s). */
export type LifecycleAction = 'schedule' | 'tick';

interface StateRow {
  readonly next: readonly LifecycleState[];
  readonly allows: readonly LifecycleAction[];
}

const table: Readonly<Record<LifecycleState, StateRow>> = {
  // A stop before any start ends the story: nothing was opened, and no later start may run.
  idle: { next: ['starting', 'stopped'], allows: [] },
  starting: { next: ['running', 'stopping', 'stopped'], allows: [] },
  running: { next: ['stopping'], allows: ['schedule', 'tick'] },
  stopping: { next: ['stopped'], allows: [] },
  stopped: { next: [], allows: [] },
};

export class Lifecycle {
  #state: LifecycleState = 'idle';

  get state(): LifecycleState {
    return this.#state;
  }

  /** Whether the current state lets `action` begin. */
  allows(action: LifecycleAction): boolean {
    return table[this.#state].allows.includes(action);
  }

  to(next: LifecycleState): void {
    if (!table[this.#state].next.includes(next)) throw new Error(`illegal supervisor transition ${this.#state} → ${next}`);
    this.#state = next;
  }

  /** Start-up finished: running, unless a stop came during it (then the state is already `stopping`). */
  started(): void {
    if (this.#state === 'starting') this.to('running');
  }

  /** A stop was asked for: at once, so nothing new begins while start-up or a tick winds down. */
  stopRequested(): void {
    if (this.#state === 'idle') this.to('stopped');
    else if (this.#state === 'starting' || this.#state === 'running') this.to('stopping');
  }
}
