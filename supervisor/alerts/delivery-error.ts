// Why one delivery attempt failed, in words fit for `history alerts` (the row's last_error) and the log.
export class DeliveryError extends Error {
  readonly code = 'ALERT_DELIVERY_FAILED';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeliveryError';
  }
}
