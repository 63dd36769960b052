/**
 * The email channel end to end on loopback: a customer's mail
 * client (nodemailer) speaks SMTP to Baton's own listener; Baton's replies leave through the
 * workspace relay, here a loopback smtp-server that keeps what it receives; the customer answers
 * the reply and it threads back. The workspace is docs/configuration.md's example: `support-email`
 * (support@acme.test) has no AI agent, so every new email is handed off as it arrives.
 */
import { createTransport, type Transporter } from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Conversation } from '../../src/contract/api.js';
import { closeMailTransports } from '../../src/delivery/channels/email.js';
import { startSmtpReceiver, type ReceivedMail, type SmtpReceiver } from '../support/loopback-receivers.js';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

/** Largest inbound email in this file (bytes), small so that the 552 test need not send megabytes. */
const MAX_BYTES = 16_384;

eachDialect('email channel', (dialect) => {
  let t: TestApp;
  let relay: SmtpReceiver;
  let customer: Transporter;
  let ana: Record<string, string>;

  // Each test its own relay, Baton and mail client: mails received and conversations stay in it.
  beforeEach(async () => {
    relay = await startSmtpReceiver();
    t = await startTestApp(dialect, { env: { BATON_SMTP_PORT: '0', BATON_SMTP_MAX_BYTES: String(MAX_BYTES), SMTP_URL: relay.url } });
    const port = t.baton.smtp?.port;
    if (port === undefined) throw new Error('the SMTP listener did not start');
    // The customer's mail client, straight to Baton's listener (no pool: each mail its own session).
    customer = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    ana = await t.tokenFor('ana');
  });
  afterEach(async () => {
    customer.close();
    await t.close();
    closeMailTransports();
    await relay.close();
  });

  const db = () => t.baton.ctx.database.db;

  /** The conversation (API shape) holding the message with this Message-ID. */
  async function conversationWith(externalId: string): Promise<Conversation> {
    const row = await db().selectFrom('messages').select(['conversation_id']).where('external_id', '=', externalId).executeTakeFirst();
    expect(row).toBeDefined();
    const read = await t.request({ method: 'GET', url: `/api/conversations/${row!.conversation_id}`, headers: t.admin });
    expect(read.statusCode).toBe(200);
    return read.data as Conversation;
  }

  async function messagesOf(conversationId: string) {
    return db().selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).orderBy('seq').execute();
  }

  /** Mails the relay received for `to` whose text contains `text`. */
  function mailsTo(to: string, text: string): ReceivedMail[] {
    return relay.mails.filter((m) => m.envelopeTo.includes(to) && (m.parsed.text ?? '').includes(text));
  }

  describe('refusals', () => {
    it('refuses mail for an address no email channel has with 550, at RCPT time', async () => {
      const refused = await customer
        .sendMail({ from: 'grace@example.test', to: 'nobody@acme.test', subject: 'hello', text: 'anyone?' })
        .then(() => null, (error: { responseCode?: number; message: string }) => error);
      expect(refused?.responseCode).toBe(550);
      expect(refused?.message).toContain('no such mailbox');
    });

    it('refuses a message over BATON_SMTP_MAX_BYTES with 552 and stores nothing', async () => {
      const before = await db().selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const refused = await customer
        .sendMail({ from: 'grace@example.test', to: 'support@acme.test', subject: 'huge', text: 'x'.repeat(MAX_BYTES * 2), messageId: '<huge-1@example.test>' })
        .then(() => null, (error: { responseCode?: number }) => error);
      expect(refused?.responseCode).toBe(552);
      const after = await db().selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });

    it('answers the inbound hook 401 without credentials, 403 to an agent, 404 for an unknown channel, 422 for a chat channel or a bad body', async () => {
      const payload = { from: 'grace@example.test', subject: 's', text: 't', messageId: '<refused@example.test>' };
      expect((await t.request({ method: 'POST', url: '/api/channels/support-email/inbound', payload })).statusCode).toBe(401);
      const agent = await t.request({ method: 'POST', url: '/api/channels/support-email/inbound', headers: ana, payload });
      expect(agent.statusCode).toBe(403);
      expect(agent.data.error.code).toBe('forbidden');
      const unknown = await t.request({ method: 'POST', url: '/api/channels/nowhere/inbound', headers: t.admin, payload });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.data.error.code).toBe('not_found');
      const chat = await t.request({ method: 'POST', url: '/api/channels/web-chat/inbound', headers: t.admin, payload });
      expect(chat.statusCode).toBe(422);
      expect(chat.data.error).toMatchObject({ code: 'invalid', details: [{ path: 'id' }] });
      const bad = await t.request({ method: 'POST', url: '/api/channels/support-email/inbound', headers: t.admin, payload: { subject: 's', text: 't' } });
      expect(bad.statusCode).toBe(422);
      expect((bad.data.error.details as { path: string }[]).map((d) => d.path)).toEqual(expect.arrayContaining(['from', 'messageId']));
      const empty = await t.request({ method: 'POST', url: '/api/channels/support-email/inbound', headers: { ...t.admin, 'content-type': 'message/rfc822' }, payload: '' });
      expect(empty.statusCode).toBe(422);
    });
  });

  describe('a conversation by email, out and back', () => {
    let conversationId: string;
    let replyMessageId: string;

    /** Grace writes in; the conversation it starts is `conversationId`. */
    async function graceWrites() {
      const sent = await customer.sendMail({
        from: '"Grace Hopper" <grace@example.test>',
        to: 'Support@Acme.test',
        subject: 'Invoice looks wrong',
        text: 'Hello,\n\nthe amount on my last invoice is wrong.\n\nGrace',
        messageId: '<grace-1@example.test>',
      });
      conversationId = (await conversationWith('<grace-1@example.test>')).id;
      return sent;
    }

    /** Ana answers Grace (and writes a note); the acknowledgement and the reply leave, the reply's Message-ID is `replyMessageId`. */
    async function anaReplies(): Promise<void> {
      await graceWrites();
      expect((await t.request({ method: 'POST', url: `/api/conversations/${conversationId}/messages`, headers: ana, payload: { body: 'Sorry about that — I have corrected the invoice.\n<b>Ana</b>', private: false } })).statusCode).toBeLessThan(300);
      expect((await t.request({ method: 'POST', url: `/api/conversations/${conversationId}/messages`, headers: ana, payload: { body: 'SECRET internal note', private: true } })).statusCode).toBeLessThan(300);
      await t.baton.outbox.drain();
      await relay.waitFor(2);
      replyMessageId = (await messagesOf(conversationId)).find((m) => m.body.startsWith('Sorry about that'))!.external_id!;
    }

    /** Ana resolves; Grace answers the reply, quoting it. */
    async function graceAnswers(): Promise<void> {
      const resolved = await t.request({ method: 'POST', url: `/api/conversations/${conversationId}/resolve`, headers: ana, payload: {} });
      expect(resolved.statusCode).toBeLessThan(300);
      await customer.sendMail({
        from: '"Grace Hopper" <grace@example.test>',
        to: 'support@acme.test',
        subject: 'Re: Invoice looks wrong',
        text: `Thank you, it is right now.\n\nOn Wed, 25 Nov 2026 at 10:40, Ana García <support@acme.test> wrote:\n> Sorry about that — I have corrected the invoice.\n`,
        messageId: '<grace-2@example.test>',
        inReplyTo: replyMessageId,
        references: ['<grace-1@example.test>', replyMessageId],
      });
    }

    it("starts a conversation on the email channel from a customer's email, handed off as it arrives (no AI agent)", async () => {
      const sent = await graceWrites();
      expect(sent.accepted).toHaveLength(1);
      const conversation = await conversationWith('<grace-1@example.test>');
      expect(conversation).toMatchObject({
        channel: 'support-email',
        channelType: 'email',
        subject: 'Invoice looks wrong',
        contact: { name: 'Grace Hopper', email: 'grace@example.test' },
        queue: 'general',
        handoff: { trigger: 'no_assistant', rule: 'fallback' },
      });
      const messages = await messagesOf(conversationId);
      expect(messages[0]).toMatchObject({ author: 'contact', body: 'Hello,\n\nthe amount on my last invoice is wrong.\n\nGrace', external_id: '<grace-1@example.test>' });
    });

    it("emails the handoff's message and an agent's reply to the customer, threaded, and never an internal note", async () => {
      await graceWrites();
      const reply = await t.request({ method: 'POST', url: `/api/conversations/${conversationId}/messages`, headers: ana, payload: { body: 'Sorry about that — I have corrected the invoice.\n<b>Ana</b>', private: false } });
      expect(reply.statusCode).toBeLessThan(300);
      const note = await t.request({ method: 'POST', url: `/api/conversations/${conversationId}/messages`, headers: ana, payload: { body: 'SECRET internal note', private: true } });
      expect(note.statusCode).toBeLessThan(300);
      await t.baton.outbox.drain();
      await relay.waitFor(2);

      const ack = mailsTo('grace@example.test', 'a member of our team will reply soon');
      expect(ack).toHaveLength(1);
      expect(ack[0]!.parsed.headers.get('auto-submitted')).toBe('auto-replied');
      expect(ack[0]!.parsed.inReplyTo).toBe('<grace-1@example.test>');

      const mails = mailsTo('grace@example.test', 'I have corrected the invoice');
      expect(mails).toHaveLength(1);
      const mail = mails[0]!.parsed;
      expect(mail.from?.value).toEqual([{ name: 'Ana García (Acme Support)', address: 'support@acme.test' }]);
      expect(mail.subject).toBe('Re: Invoice looks wrong');
      expect(mail.inReplyTo).toBe('<grace-1@example.test>');
      expect(mail.references).toBe('<grace-1@example.test>');
      expect(mail.headers.get('auto-submitted')).toBeUndefined();
      expect(String(mail.html)).toContain('&lt;b&gt;Ana&lt;/b&gt;');
      expect(relay.mails.some((m) => m.raw.includes('SECRET'))).toBe(false);

      // The Message-ID sent is the one stored on the message, so the customer's answer threads.
      const stored = (await messagesOf(conversationId)).find((m) => m.body.startsWith('Sorry about that'));
      expect(mail.messageId).toMatch(/^<baton\.[0-9a-f-]+@acme\.test>$/);
      expect(stored?.external_id).toBe(mail.messageId);
      replyMessageId = mail.messageId!;

      // Each reply is a delivery people can see (and retry when it fails).
      const listed = await t.request({ method: 'GET', url: '/api/deliveries?kind=deliver.email_reply&limit=100', headers: t.admin });
      expect(listed.statusCode).toBe(200);
      const ours = (listed.data.items as { conversationId: string | null; status: string }[]).filter((d) => d.conversationId === conversationId);
      expect(ours.map((d) => d.status)).toEqual(['done', 'done']);
    });

    it('sends a retried reply with the same Message-ID', async () => {
      await anaReplies();
      const stored = (await messagesOf(conversationId)).find((m) => m.body.startsWith('Sorry about that'))!;
      // As if the worker had crashed after the send and before "done": the row is claimed again.
      const reset = await db()
        .updateTable('outbox')
        .set({ status: 'pending', available_at: 0 })
        .where('idempotency_key', '=', `${conversationId}:deliver.email_reply:${stored.seq}`)
        .executeTakeFirst();
      expect(reset.numUpdatedRows).toBe(1n);
      const count = relay.mails.length;
      await t.baton.outbox.drain();
      const all = await relay.waitFor(count + 1);
      expect(all.at(-1)!.parsed.messageId).toBe(replyMessageId);
    });

    it("threads the customer's answer into the same conversation, reopening it, with the quoted history trimmed", async () => {
      await anaReplies();
      await graceAnswers();
      const conversation = await conversationWith('<grace-2@example.test>');
      expect(conversation.id).toBe(conversationId);
      expect(conversation.status).not.toBe('resolved');
      const last = (await messagesOf(conversationId)).find((m) => m.external_id === '<grace-2@example.test>');
      expect(last).toMatchObject({ author: 'contact', body: 'Thank you, it is right now.' });
    });

    it('stores the same email delivered twice once', async () => {
      await anaReplies();
      await graceAnswers();
      const mail = {
        from: '"Grace Hopper" <grace@example.test>',
        to: 'support@acme.test',
        subject: 'Re: Invoice looks wrong',
        text: 'One more thing.',
        messageId: '<grace-3@example.test>',
        inReplyTo: '<grace-2@example.test>',
      };
      await customer.sendMail(mail);
      await customer.sendMail(mail);
      const twice = await t.request({
        method: 'POST',
        url: '/api/channels/support-email/inbound',
        headers: t.admin,
        payload: { from: 'grace@example.test', subject: mail.subject, text: mail.text, messageId: 'grace-3@example.test' },
      });
      expect(twice.statusCode).toBe(200);
      expect(twice.data).toMatchObject({ outcome: 'duplicate', conversation: { id: conversationId } });
      const stored = await db().selectFrom('messages').select('id').where('external_id', '=', '<grace-3@example.test>').execute();
      expect(stored).toHaveLength(1);
      expect(twice.data.messageId).toBe(stored[0]!.id);
    });
  });

  it("never auto-answers an automated email (an out-of-office), but an agent's reply still goes out", async () => {
    await customer.sendMail({
      from: '"Out of office" <ooo@example.test>',
      to: 'support@acme.test',
      subject: 'Automatic reply: holidays',
      text: 'I am away until Monday.',
      messageId: '<ooo-1@example.test>',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    const conversation = await conversationWith('<ooo-1@example.test>');
    await t.baton.outbox.drain();
    expect(relay.mails.filter((m) => m.envelopeTo.includes('ooo@example.test'))).toHaveLength(0);
    const skipped = await db().selectFrom('outbox').select('status').where('idempotency_key', 'like', `${conversation.id}:deliver.email_reply:%`).execute();
    expect(skipped.map((r) => r.status)).toEqual(['done']);

    const count = relay.mails.length;
    await t.request({ method: 'POST', url: `/api/conversations/${conversation.id}/messages`, headers: ana, payload: { body: 'Noted, thanks.' } });
    await t.baton.outbox.drain();
    await relay.waitFor(count + 1);
    expect(mailsTo('ooo@example.test', 'Noted, thanks.')).toHaveLength(1);
  });

  describe('the inbound HTTP hook', () => {
    it('takes raw MIME, with the text made from an HTML-only body, and then a JSON reply into the same conversation', async () => {
      const raw = [
        'From: =?UTF-8?Q?Linus_T=C3=B6rnqvist?= <linus@example.test>',
        'To: support@acme.test',
        'Subject: Printer on fire',
        'Message-ID: <linus-1@example.test>',
        'Date: Wed, 25 Nov 2026 10:45:00 +0100',
        'MIME-Version: 1.0',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<p>My printer is <b>on fire</b>.</p><script>alert(1)</script>',
        '',
      ].join('\r\n');
      const created = await t.request({ method: 'POST', url: '/api/channels/support-email/inbound', headers: { ...t.admin, 'content-type': 'message/rfc822' }, payload: raw });
      expect(created.statusCode).toBe(201);
      expect(created.data).toMatchObject({ outcome: 'created', conversation: { channel: 'support-email', subject: 'Printer on fire', contact: { name: 'Linus Törnqvist', email: 'linus@example.test' } } });
      const id = created.data.conversation.id as string;
      const first = (await messagesOf(id))[0]!;
      expect(first.body).toContain('My printer is on fire');
      expect(first.body).not.toContain('<b>');

      const answered = await t.request({
        method: 'POST',
        url: `/api/channels/support-email/inbound`,
        headers: t.admin,
        payload: { from: 'linus@example.test', fromName: 'Linus', subject: 'Re: Printer on fire', text: 'It is out now.\n\n> My printer is on fire.', messageId: 'linus-2@example.test', inReplyTo: '<linus-1@example.test>' },
      });
      expect(answered.statusCode).toBe(200);
      expect(answered.data).toMatchObject({ outcome: 'appended', conversation: { id } });
      const bodies = (await messagesOf(id)).filter((m) => m.author === 'contact').map((m) => m.body);
      expect(bodies).toEqual([first.body, 'It is out now.']);
    });

    it('starts a new conversation when the email answers nothing Baton knows', async () => {
      const a = await t.request({ method: 'POST', url: '/api/channels/support-email/inbound', headers: t.admin, payload: { from: 'new@example.test', subject: 'First', text: 'Hi', messageId: '<new-1@example.test>', inReplyTo: '<unknown@elsewhere.test>' } });
      expect(a.statusCode).toBe(201);
      expect(a.data.outcome).toBe('created');
    });

    it('stores one of two simultaneous deliveries of the same email and names it to the other', async () => {
      const post = () =>
        t.request({ method: 'POST', url: '/api/channels/support-email/inbound', headers: t.admin, payload: { from: 'race@example.test', subject: 'Race', text: 'Twice at once', messageId: '<race-1@example.test>' } });
      const answers = await Promise.all([post(), post()]);
      expect(answers.map((a) => a.data.outcome as string).sort()).toEqual(['created', 'duplicate']);
      expect(answers[0].data.conversation.id).toBe(answers[1].data.conversation.id);
      const stored = await db().selectFrom('messages').select('id').where('external_id', '=', '<race-1@example.test>').execute();
      expect(stored).toHaveLength(1);
      const conversations = await db().selectFrom('conversations').innerJoin('contacts', 'contacts.id', 'conversations.contact_id').select('conversations.id').where('contacts.email', '=', 'race@example.test').execute();
      expect(conversations).toHaveLength(1);
    });

    it('refuses mail from a channel address (a loop)', async () => {
      const loop = await t.request({ method: 'POST', url: '/api/channels/support-email/inbound', headers: t.admin, payload: { from: 'support@acme.test', subject: 'x', text: 'x', messageId: '<loop-1@acme.test>' } });
      expect(loop.statusCode).toBe(422);
    });
  });
});
