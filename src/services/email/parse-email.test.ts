import { describe, expect, it } from 'vitest';
import { jsonEmail, parseMimeEmail } from './parse-email.js';

const mime = (headers: string[], body: string): string => [...headers, '', body, ''].join('\r\n');

describe('parseMimeEmail', () => {
  it('reads the sender, an encoded display name, the subject and the threading headers', async () => {
    const email = await parseMimeEmail(
      mime(
        [
          'From: =?UTF-8?Q?Luc=C3=ADa_P=C3=A9rez?= <lucia@example.test>',
          'To: support@acme.test',
          'Subject: =?UTF-8?Q?Factura_err=C3=B3nea?=',
          'Message-ID: <l-3@example.test>',
          'In-Reply-To: <baton.1@acme.test>',
          'References: <l-1@example.test>\r\n <baton.1@acme.test>',
          'Content-Type: text/plain; charset=utf-8',
        ],
        'Hola',
      ),
    );
    expect(email).toEqual({
      from: 'lucia@example.test',
      fromName: 'Lucía Pérez',
      subject: 'Factura errónea',
      text: 'Hola\n',
      messageId: '<l-3@example.test>',
      inReplyTo: ['<baton.1@acme.test>'],
      references: ['<l-1@example.test>', '<baton.1@acme.test>'],
      automated: false,
      attachments: 0,
    });
  });

  it('marks machine-sent mail: Auto-Submitted other than "no", Precedence bulk', async () => {
    const base = ['From: a@example.test', 'To: support@acme.test', 'Subject: x'];
    expect((await parseMimeEmail(mime([...base, 'Auto-Submitted: auto-replied'], 'away'))).automated).toBe(true);
    expect((await parseMimeEmail(mime([...base, 'Auto-Submitted: no'], 'hi'))).automated).toBe(false);
    expect((await parseMimeEmail(mime([...base, 'Precedence: bulk'], 'news'))).automated).toBe(true);
  });

  // Regression (the fuzzer): a NUL byte in a raw email failed on PostgreSQL (its text cannot hold U+0000): 500 to the mail server.
  it('drops NUL characters and mends lone surrogates: another server sent it, there is nobody to refuse it to', async () => {
    const email = await parseMimeEmail(
      mime(['From: "Nu\u0000l" <nul@example.test>', 'To: support@acme.test', 'Subject: hi\u0000there', 'Message-ID: <n\u00001@example.test>', 'Content-Type: text/plain; charset=utf-8'], 'body \u0000 with a NUL'),
    );
    expect(email).toMatchObject({ fromName: 'Nul', subject: 'hithere', text: 'body  with a NUL\n', messageId: '<n1@example.test>' });
    const utf16 = await parseMimeEmail(mime(['From: a@example.test', 'Subject: x', 'Content-Type: text/plain; charset=utf-16le', 'Content-Transfer-Encoding: base64'], Buffer.from([0x41, 0x00, 0x00, 0xd8]).toString('base64')));
    expect(utf16.text).not.toMatch(/\p{Surrogate}/u);
  });

  it('refuses a message without a From address', async () => {
    await expect(parseMimeEmail(mime(['To: support@acme.test', 'Subject: x'], 'hi'))).rejects.toMatchObject({ code: 'invalid' });
  });

  it('wraps the JSON form’s ids in angle brackets', () => {
    const email = jsonEmail({ from: 'a@example.test', subject: 's', text: 't', messageId: 'm1@example.test', references: 'r1@example.test r2@example.test' });
    expect(email).toMatchObject({ messageId: '<m1@example.test>', references: ['<r1@example.test>', '<r2@example.test>'], inReplyTo: [], fromName: null });
  });
});
