// Why one delivery attempt failed, in words fit for `history alerts` (the row's last_error) and the log.
export class DeliveryError extends Error {
  readonly code = 'ALERT_DELIVERY_FAILED';
  /** A bound the attempt hit besides failing (an answer cut at its cap), logged once per sink. */
  readonly boundHit: string | undefined;

  constructor(message: string, options?: { cause?: unknown; boundHit?: string }) {
    super(message, options);
    this.name = 'DeliveryError';
    this.boundHit = options?.boundHit;
  }
}
