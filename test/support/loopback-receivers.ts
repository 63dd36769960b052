/**
 * Real receivers on loopback for delivery tests: an SMTP server
 * (smtp-server) that keeps what it receives, parsed by mailparser, and an HTTP server that records
 * every request and can be told to answer an error or to be down (its port closed).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  readonly envelopeTo: string[];
  readonly parsed: ParsedMail;
  readonly raw: string;
}

export interface SmtpReceiver {
  readonly url: string;
  readonly port: number;
  readonly mails: ReceivedMail[];
  /** Resolves once `count` mails have arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** Answer 550 at RCPT TO for these addresses (a mailbox that does not exist). */
  readonly refused: Set<string>;
  /** Stop listening (connections refused) until `up()`. */
  down(): Promise<void>;
  up(): Promise<void>;
  /** Connections that failed mid-session (a client reset them). */
  readonly connectionErrors: Error[];
  close(): Promise<void>;
}

export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const refused = new Set<string>();
  const connectionErrors: Error[] = [];
  const make = (): SMTPServer =>
    new SMTPServer({
      // Plain SMTP on loopback: no STARTTLS offer (its self-signed certificate would be refused), no AUTH.
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      logger: false,
      // Pooled client connections stay open; don't wait 30 s for them on close.
      closeTimeout: 100,
      onRcptTo(address, _session, callback) {
        if (!refused.has(address.address)) return callback();
        callback(Object.assign(new Error(`<${address.address}>: mailbox unavailable`), { responseCode: 550 }));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw)
            .then((parsed) => {
              mails.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), parsed, raw });
              for (const waiter of waiters.filter((w) => mails.length >= w.count)) waiter.resolve();
              callback();
            })
            .catch((error: Error) => callback(error));
        });
      },
    });
  const makeKept = (): SMTPServer => {
    const made = make();
    // A client that goes away mid-session (a sender killed with SIGKILL) resets its connection:
    // smtp-server reports it as an 'error' event, which unheard would crash the test process.
    made.on('error', (error: Error) => connectionErrors.push(error));
    return made;
  };
  let server = makeKept();
  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.server.address() as AddressInfo).port));
    });
  const port = await listen(0);
  const close = (): Promise<void> => new Promise((resolve) => server.close(() => resolve()));
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    mails,
    refused,
    waitFor(count, timeoutMs = 5_000) {
      if (mails.length >= count) return Promise.resolve(mails);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${count} mails, got ${mails.length}`)), timeoutMs);
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(mails);
          },
        });
      });
    },
    down: close,
    async up() {
      server = makeKept();
      await listen(port);
    },
    connectionErrors,
    close,
  };
}

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** `ok` answers 200; a number answers that status; `down` closes the port. */
export type ReceiverMode = 'ok' | 'down' | number;

export interface HttpReceiver {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Requests to one path. */
  to(path: string): ReceivedRequest[];
  setMode(mode: ReceiverMode): Promise<void>;
  close(): Promise<void>;
}

export async function startHttpReceiver(): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  let mode: ReceiverMode = 'ok';
  const make = (): Server =>
    createServer((req, res) => {
      const chunks: Buffer[] = [];
      // A sender killed mid-request resets the connection; that request is simply not recorded.
      req.on('error', () => undefined);
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const status = typeof mode === 'number' ? mode : 200;
        res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' });
        res.end(status === 200 ? 'ok' : `answering ${status} on purpose`);
      });
    });
  let server = make();
  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    });
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  const port = await listen(0);
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    to: (path) => requests.filter((r) => r.path === path),
    async setMode(next) {
      const wasDown = mode === 'down';
      mode = next;
      if (next === 'down' && !wasDown) await close();
      if (next !== 'down' && wasDown) {
        server = make();
        await listen(port);
      }
    },
    async close() {
      if (mode !== 'down') await close();
    },
  };
}
