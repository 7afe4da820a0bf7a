import type { MailSinkConfig } from '../../config/types.ts';
import { DeliveryError } from '../delivery-error.ts';
import { alertMail } from '../payload.ts';
import { resolveEnvName } from '../sink-secrets.ts';
import type { Sink } from './sink.ts';

// One mail per alert through an SMTP relay, with nodemailer (SMTP, STARTTLS and AUTH are not ours to write).
export function mailSink(config: MailSinkConfig, env: NodeJS.ProcessEnv, timeoutMs: number): Sink {
  const user = resolveEnvName(config.userEnv, 'alerts.mail.userEnv', env);
  const pass = resolveEnvName(config.passwordEnv, 'alerts.mail.passwordEnv', env);
  return {
    name: config.name,
    async deliver(payload, signal) {
      // A transport per attempt (no pool): nothing stays connected between alerts, which come rarely.
      // Loaded on the first mail, so a supervisor that never alerts never holds it.
      const { default: nodemailer } = await import('nodemailer');
      const transport = nodemailer.createTransport({
        host: config.host, port: config.port, secure: config.secure,
        ...(user !== undefined && pass !== undefined ? { auth: { user, pass } } : {}),
        connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs,
      });
      const { subject, text } = alertMail(payload);
      try {
        // `signal` closes the SMTP connection at the attempt's deadline: left running, a slow relay's exchange went
        // on after the worker had given up, and each retry then delivered one more copy of the mail.
        await transport.sendMail({
          from: config.from, to: [...config.to], subject, text, signal, messageId: alertMessageId(payload.id),
          headers: { 'X-Sync-Alert-Id': payload.id, 'X-Sync-Alert-Kind': payload.kind },
        });
      } catch (error) {
        if (signal.aborted) {
          throw new DeliveryError(`mail not sent: the relay did not finish within ${timeoutMs} ms (alerts.timeoutMs) and the connection was closed; a relay that already had the whole message may deliver it again with the next attempt (same Message-ID); raise alerts.timeoutMs above the relay's slowest answer`, { cause: error });
        }
        const smtp = error as Error & { code?: string; responseCode?: number };
        throw new DeliveryError(`mail not sent: ${smtp.code ?? ''}${smtp.responseCode ? ` ${smtp.responseCode}` : ''} ${smtp.message}`.trim(), { cause: error });
      } finally {
        transport.close();
      }
      return {};
    },
  };
}

/**
 * The same Message-ID on every attempt of one delivery (derived from its idempotency key), so a mailbox or relay
 * that drops repeated Message-IDs shows a retried alert once.
 */
export function alertMessageId(idempotencyKey: string): string {
  return `<${idempotencyKey.replace(/[^A-Za-z0-9.-]/g, '.')}@sync-supervisor>`;
}
