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
        await transport.sendMail({
          from: config.from, to: [...config.to], subject, text,
          headers: { 'X-Sync-Alert-Id': payload.id, 'X-Sync-Alert-Kind': payload.kind },
        });
      } catch (error) {
        if (signal.aborted) throw new DeliveryError('mail not sent: the delivery attempt ran out of time', { cause: error });
        const smtp = error as Error & { code?: string; responseCode?: number };
        throw new DeliveryError(`mail not sent: ${smtp.code ?? ''}${smtp.responseCode ? ` ${smtp.responseCode}` : ''} ${smtp.message}`.trim(), { cause: error });
      } finally {
        transport.close();
      }
    },
  };
}
