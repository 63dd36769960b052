/**
 * The rating link of a resolved email conversation, end to end on loopback (issue 18): resolving
 * sends the customer an email (through the outbox, the workspace relay here a loopback SMTP
 * receiver) with a single-use link to `/rate/<token>`; the page is a plain form; posting a score
 * rates the resolution once — a second post is refused; a reopen makes the old link stale and the
 * next resolution sends a new one.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeMailTransports } from '../../src/delivery/channels/email.js';
import { startSmtpReceiver, type ReceivedMail, type SmtpReceiver } from '../support/loopback-receivers.js';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

const PUBLIC_URL = 'https://help.acme.test';
const FORM = { 'content-type': 'application/x-www-form-urlencoded', origin: PUBLIC_URL, host: 'help.acme.test' };

eachDialect('the rating link of an email conversation', (dialect) => {
  let t: TestApp;
  let relay: SmtpReceiver;

  beforeAll(async () => {
    relay = await startSmtpReceiver();
    t = await startTestApp(dialect, { env: { SMTP_URL: relay.url, BATON_PUBLIC_URL: PUBLIC_URL } });
  });
  afterAll(async () => {
    await t.close();
    closeMailTransports();
    await relay.close();
  });

  const db = () => t.baton.ctx.database.db;

  async function emailConversation(from: string, messageId: string): Promise<string> {
    const inbound = await t.request({
      method: 'POST',
      url: '/api/channels/support-email/inbound',
      headers: t.admin,
      payload: { from, subject: 'Invoice looks wrong', text: 'The amount is wrong.', messageId },
    });
    expect(inbound.statusCode).toBeLessThan(300);
    const row = await db().selectFrom('messages').select(['conversation_id']).where('external_id', '=', messageId).executeTakeFirstOrThrow();
    return row.conversation_id;
  }

  /** Resolve and wait for the rating email to `to` (the one after those already received). */
  async function resolveAndReceive(id: string, to: string): Promise<{ mail: ReceivedMail; path: string }> {
    const before = relay.mails.filter((m) => m.envelopeTo.includes(to) && (m.parsed.text ?? '').includes('/rate/')).length;
    const resolved = await t.request({ method: 'POST', url: `/api/conversations/${id}/resolve`, headers: t.admin, payload: {} });
    expect(resolved.statusCode).toBe(200);
    await t.baton.outbox.drain();
    for (;;) {
      const mails = relay.mails.filter((m) => m.envelopeTo.includes(to) && (m.parsed.text ?? '').includes('/rate/'));
      if (mails.length > before) {
        const mail = mails.at(-1)!;
        const link = /https:\/\/help\.acme\.test(\/rate\/br_[A-Za-z0-9_-]{43})/.exec(mail.parsed.text ?? '');
        expect(link).not.toBeNull();
        return { mail, path: link![1]! };
      }
      await relay.waitFor(relay.mails.length + 1);
    }
  }

  const post = (path: string, body: string, headers: Record<string, string> = FORM) => t.request({ method: 'POST', url: path, headers, payload: body });

  it('emails the link with the resolution, threaded, and keeps only the hash of its token', async () => {
    const id = await emailConversation('grace@example.test', '<grace-rate-1@example.test>');
    const { mail, path } = await resolveAndReceive(id, 'grace@example.test');
    expect(mail.parsed.subject).toBe('Re: Invoice looks wrong');
    expect(mail.parsed.inReplyTo).toBe('<grace-rate-1@example.test>');
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.parsed.text).toContain('is resolved');
    // One link per score in the HTML part, each opening the page with that score chosen.
    expect(String(mail.parsed.html)).toContain(`${PUBLIC_URL}${path}?score=5`);

    const token = path.split('/').at(-1)!;
    const links = await db().selectFrom('rating_links').selectAll().where('conversation_id', '=', id).execute();
    expect(links).toHaveLength(1);
    expect(links[0]!.token_hash).not.toContain(token);
    // Once sent, the outbox row no longer holds the link.
    const rows = await db().selectFrom('outbox').select(['payload', 'status']).where('kind', '=', 'deliver.rating_request').execute();
    expect(rows.filter((r) => r.payload.includes(id)).map((r) => r.status)).toEqual(['done']);
    expect(rows.some((r) => r.payload.includes(token))).toBe(false);
  });

  it('shows the page, takes one score with a comment, answers thanks, and refuses the link after', async () => {
    const id = await emailConversation('ada@example.test', '<ada-rate-1@example.test>');
    const { path } = await resolveAndReceive(id, 'ada@example.test');

    const page = await t.request({ method: 'GET', url: `${path}?score=4` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['content-security-policy']).toContain("form-action 'self'");
    expect(page.body).toContain('<form method="post">');
    expect(page.body).toContain('value="4" required checked');
    expect(page.body).not.toContain('<script');
    // Opening the page changed nothing (mail scanners open links).
    expect((await db().selectFrom('ratings').selectAll().where('conversation_id', '=', id).execute()).length).toBe(0);

    const crossSite = await post(path, 'score=1', { ...FORM, origin: 'https://evil.example' });
    expect(crossSite.statusCode).toBe(403);
    const noScore = await post(path, 'comment=%3Cb%3Ehi%3C%2Fb%3E');
    expect(noScore.statusCode).toBe(422);
    expect(noScore.body).toContain('Choose a score');
    expect(noScore.body).toContain('&lt;b&gt;hi&lt;/b&gt;');
    expect(noScore.body).not.toContain('<b>hi</b>');

    const rated = await post(path, `score=5&comment=${encodeURIComponent('Great <script>alert(1)</script>')}`);
    expect(rated.statusCode).toBe(200);
    expect(rated.body).toContain('Thank you');
    const seen = await t.request({ method: 'GET', url: `/api/conversations/${id}`, headers: t.admin });
    expect(seen.data.rating).toEqual({ score: 5, comment: 'Great <script>alert(1)</script>', current: true });
    const rows = await db().selectFrom('ratings').selectAll().where('conversation_id', '=', id).execute();
    expect(rows.map((r) => ({ score: Number(r.score), source: r.source, handedOff: Number(r.handed_off) }))).toEqual([{ score: 5, source: 'email', handedOff: 1 }]);

    const again = await post(path, 'score=1');
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('already used');
    expect((await t.request({ method: 'GET', url: path })).statusCode).toBe(409);
    expect((await db().selectFrom('ratings').selectAll().where('conversation_id', '=', id).execute()).map((r) => Number(r.score))).toEqual([5]);
  });

  it('makes the old link stale on a reopen and sends a new one with the next resolution', async () => {
    const id = await emailConversation('linus@example.test', '<linus-rate-1@example.test>');
    const first = await resolveAndReceive(id, 'linus@example.test');
    expect((await t.request({ method: 'POST', url: `/api/conversations/${id}/reopen`, headers: t.admin, payload: {} })).statusCode).toBe(200);
    const second = await resolveAndReceive(id, 'linus@example.test');
    expect(second.path).not.toBe(first.path);

    const stale = await post(first.path, 'score=2');
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('reopened');
    expect((await post(second.path, 'score=4')).statusCode).toBe(200);
    expect((await db().selectFrom('ratings').selectAll().where('conversation_id', '=', id).execute()).map((r) => Number(r.score))).toEqual([4]);
  });

  it('answers 404 for a link that never existed, and sends no link for a chat conversation', async () => {
    const unknown = await t.request({ method: 'GET', url: `/rate/br_${'A'.repeat(43)}` });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('not valid');
    expect((await t.request({ method: 'GET', url: '/rate/%3Cscript%3E' })).statusCode).toBe(404);

    const session = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact: { name: 'Kim' } } });
    const started = await t.request({ method: 'POST', url: '/api/widget/conversations', headers: { authorization: `Bearer ${session.data.token}` }, payload: { message: 'hello' } });
    const chatId = started.data.conversation.id as string;
    await t.request({ method: 'POST', url: `/api/conversations/${chatId}/resolve`, headers: t.admin, payload: {} });
    expect(await db().selectFrom('rating_links').selectAll().where('conversation_id', '=', chatId).execute()).toEqual([]);
  });
});
