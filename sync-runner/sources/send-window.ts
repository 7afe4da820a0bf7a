// At most `size` messages sent and not yet taken: the sender waits for a slot, and each acknowledgement from the
// receiver frees one. This is what keeps a fast sender from queueing a whole file ahead of a slow receiver.
export class SendWindow {
  private untaken = 0;
  private waiting: (() => void) | undefined;

  constructor(private readonly size: number) {}

  /** Resolves once fewer than `size` messages are untaken, counting the one about to be sent. One sender at a time. */
  async slot(): Promise<void> {
    while (this.untaken >= this.size) await new Promise<void>((resolve) => (this.waiting = resolve));
    this.untaken++;
  }

  /** The receiver took a message. */
  taken(): void {
    this.untaken = Math.max(0, this.untaken - 1);
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }
}
