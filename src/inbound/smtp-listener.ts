/**
 * Inbound email over SMTP. An smtp-server listener, started by
 * createBaton when `BATON_SMTP_PORT` is set, that accepts mail for the address of an email channel
 * and hands each message to services/email/receive-email.ts. Meant to sit behind the organisation's MX
 * or a relay (README: "Receiving email"): plain SMTP, no AUTH, no STARTTLS — the relay does TLS
 * and spam filtering on the public side.
 *
 * Answers (RFC 5321 §4.2, enhanced codes RFC 3463):
 * - RCPT TO an address no email channel has → 550 5.1.1, so the sender learns at once and no
 *   message is accepted that nobody would read;
 * - a message over `BATON_SMTP_MAX_BYTES` → 552 (smtp-server's `rejectOversized`);
 * - a message Baton refuses on its content (no From, from our own address) → 550 5.6.0;
 * - a failure of ours (database down) → 451 4.3.0: the relay keeps the mail and tries again, and
 *   the Message-ID de-duplication makes that retry harmless.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { BatonError } from '../platform/errors.js';
import type { ServiceContext } from '../services/context.js';
import { findEmailChannel, receiveEmail } from '../services/email/receive-email.js';
import { parseMimeEmail } from '../services/email/parse-email.js';

export interface SmtpListener {
  readonly host: string;
  /** The bound port (the one asked for, or the one the system chose for port 0). */
  readonly port: number;
  close(): Promise<void>;
}

export interface SmtpListenerOptions {
  readonly host: string;
  readonly port: number;
  readonly maxBytes: number;
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/** The message, or as much as the limit allows: the rest of an oversized one is read and dropped. */
async function readAll(stream: SMTPServerDataStream, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream) {
    const data = chunk as Buffer;
    bytes += data.length;
    if (bytes <= maxBytes) chunks.push(data);
  }
  return Buffer.concat(chunks);
}

export async function startSmtpListener(ctx: ServiceContext, options: SmtpListenerOptions): Promise<SmtpListener> {
  async function channelOf(address: string): Promise<string | null> {
    const { config } = await ctx.workspace.current();
    return findEmailChannel(config, address)?.id ?? null;
  }

  async function deliver(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> {
    const raw = await readAll(stream, options.maxBytes);
    // smtp-server answers 552 itself (rejectOversized); the truncated message is not stored.
    if (stream.sizeExceeded) throw smtpError(552, `5.3.4 message exceeds the limit of ${options.maxBytes} bytes`);
    // The first recipient that is a channel (RCPT TO refused the others); the same mail to two
    // channels is one conversation — its Message-ID is stored once.
    let channelId: string | null = null;
    for (const recipient of session.envelope.rcptTo) {
      channelId = await channelOf(recipient.address);
      if (channelId !== null) break;
    }
    if (channelId === null) throw smtpError(550, '5.1.1 no email channel has this address');
    const email = await parseMimeEmail(raw);
    const result = await receiveEmail(ctx, { channelId, email });
    ctx.logger.info({ channel: channelId, conversationId: result.conversation.id, outcome: result.outcome, messageId: email.messageId }, 'email received over SMTP');
  }

  const server = new SMTPServer({
    banner: 'Baton',
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    size: options.maxBytes,
    rejectOversized: true,
    logger: false,
    // Open client connections do not hold up a shutdown for long (ms).
    closeTimeout: 1_000,
    onRcptTo(address, _session, callback) {
      channelOf(address.address).then(
        (channelId) => callback(channelId === null ? smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`) : null),
        (error: unknown) => {
          ctx.logger.error({ err: error }, 'SMTP RCPT TO failed');
          callback(smtpError(451, '4.3.0 temporary failure, try again later'));
        },
      );
    },
    onData(stream, session, callback) {
      deliver(stream, session).then(
        () => callback(),
        (error: unknown) => {
          if (typeof (error as { responseCode?: unknown }).responseCode === 'number') return callback(error as Error);
          if (error instanceof BatonError && (error.code === 'invalid' || error.code === 'not_found')) {
            return callback(smtpError(550, `5.6.0 ${error.message}`));
          }
          ctx.logger.error({ err: error }, 'SMTP message could not be stored');
          callback(smtpError(451, '4.3.0 temporary failure, try again later'));
        },
      );
    },
  });
  server.on('error', (error) => ctx.logger.error({ err: error }, 'SMTP listener error'));

  const port = await new Promise<number>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.server.off('error', reject);
      resolve((server.server.address() as AddressInfo).port);
    });
  });

  return {
    host: options.host,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
