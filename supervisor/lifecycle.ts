// The supervisor's lifecycle as an explicit table; an illegal transition is a bug and throws.

export type LifecycleState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

const allowed: Readonly<Record<LifecycleState, readonly LifecycleState[]>> = {
  idle: ['starting'],
  starting: ['running', 'stopping', 'stopped'],
  running: ['stopping'],
  stopping: ['stopped'],
  stopped: [],
};

export class Lifecycle {
  #state: LifecycleState = 'idle';

  get state(): LifecycleState {
    return this.#state;
  }

  to(next: LifecycleState): void {
    if (!allowed[this.#state].includes(next)) throw new Error(`illegal supervisor transition ${this.#state} → ${next}`);
    this.#state = next;
  }
}
