/**
 * The rules review reminder: a durable timer (an outbox row), run here by moving the manual clock
 * and draining the outbox by hand. When `reviewEvery` has passed since the last review (publishing
 * counts), every active admin is told in the app and by email, again each week, until someone
 * marks the rules reviewed or publishes new ones.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeMailTransports } from '../../src/delivery/channels/email.js';
import { remindRulesetReview, RULESET_REVIEW_TIMER } from '../../src/services/rulesets/review-reminder.js';
import { withTransaction } from '../../src/store/database.js';
import { listOutbox } from '../../src/store/repositories/outbox.js';
import { startSmtpReceiver, type SmtpReceiver } from '../support/loopback-receivers.js';
import { EXAMPLE_CONFIG, eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

const SECOND = 1_000;
const DAY = 86_400 * SECOND;

/** The example workspace with a second admin, Mei, and the webhook pointed at a refused loopback port. */
function configWithTwoAdmins(): string {
  const withMei = EXAMPLE_CONFIG.replace(
    /^teams:\n/m,
    '  - id: mei\n    name: Mei Chen\n    email: mei@acme.test\n    role: admin\n    schedule: always\n\nteams:\n',
  ).replace('https://hooks.acme.test/baton', 'http://127.0.0.1:9/baton');
  if (!withMei.includes('id: mei')) throw new Error('the example no longer has a teams section after its users');
  return withMei;
}

eachDialect('rules review reminder', (dialect) => {
  let t: TestApp;
  let relay: SmtpReceiver;
  let olu: Record<string, string>;
  let mei: Record<string, string>;
  let ana: Record<string, string>;

  beforeAll(async () => {
    relay = await startSmtpReceiver();
    t = await startTestApp(dialect, { config: configWithTwoAdmins(), env: { SMTP_URL: relay.url } });
    olu = await t.tokenFor('olu');
    mei = await t.tokenFor('mei');
    ana = await t.tokenFor('ana');
  });
  afterAll(async () => {
    await t.close();
    closeMailTransports();
    await relay.close();
  });

  const reminders = async (headers: Record<string, string>) =>
    ((await t.request({ method: 'GET', url: '/api/notifications', headers })).data.items as { type: string; title: string; body: string }[]).filter((n) => n.type === 'ruleset.review_due');
  const mailsTo = (address: string) => relay.mails.filter((m) => m.envelopeTo.includes(address) && (m.parsed.subject ?? '').includes('review the handoff rules'));

  it('reminds every admin in the app and by email when the review falls due, then weekly, and once per round', async () => {
    const active = (await t.request({ method: 'GET', url: '/api/ruleset', headers: olu })).data;
    expect(active).toMatchObject({ reviewedBy: 'test', reviewDueAt: new Date(Date.parse(active.reviewedAt) + 90 * DAY).toISOString() });

    t.clock.advance(90 * DAY - SECOND);
    await t.baton.outbox.drain();
    expect(await reminders(olu)).toEqual([]);

    t.clock.advance(2 * SECOND);
    await t.baton.outbox.drain();
    expect(await reminders(olu)).toEqual([expect.objectContaining({ title: 'Time to review the handoff rules' })]);
    expect(await reminders(mei)).toHaveLength(1);
    expect(await reminders(ana)).toEqual([]);
    await relay.waitFor(2);
    expect(mailsTo('olu@acme.test')).toHaveLength(1);
    expect(mailsTo('mei@acme.test')).toHaveLength(1);
    expect(mailsTo('ana@acme.test')).toHaveLength(0);

    // The same round's timer run again (a crash before its row was settled): nothing more.
    const version = active.version as number;
    const payload = { version, reviewedAt: Date.parse(active.reviewedAt as string) };
    await withTransaction(t.baton.ctx.database, (trx) => remindRulesetReview(trx, t.baton.ctx, payload, t.clock.now()));
    await t.baton.outbox.drain();
    expect(await reminders(olu)).toHaveLength(1);

    // A week later, still not reviewed: again.
    t.clock.advance(7 * DAY);
    await t.baton.outbox.drain();
    expect(await reminders(olu)).toHaveLength(2);
    expect(await reminders(mei)).toHaveLength(2);
    await relay.waitFor(4);
    expect(mailsTo('olu@acme.test')).toHaveLength(2);
  });

  it('stops once an admin marks the rules reviewed, and counts the next reminder from then', async () => {
    const reviewed = await t.request({ method: 'POST', url: '/api/ruleset/review', headers: mei });
    expect(reviewed.statusCode).toBe(200);
    expect(reviewed.data).toMatchObject({ reviewedBy: 'mei', reviewedAt: new Date(t.clock.now()).toISOString() });
    const before = (await reminders(olu)).length;

    t.clock.advance(7 * DAY + SECOND);
    await t.baton.outbox.drain();
    expect(await reminders(olu)).toHaveLength(before);

    t.clock.advance(83 * DAY);
    await t.baton.outbox.drain();
    expect(await reminders(olu)).toHaveLength(before + 1);
  });

  it('publishing new rules re-arms the reminder from the publish', async () => {
    const draft = (await t.request({ method: 'GET', url: '/api/ruleset/draft', headers: olu })).data.ruleset;
    expect((await t.request({ method: 'PUT', url: '/api/ruleset/draft', headers: olu, payload: { ...draft, reviewEvery: '30d' } })).statusCode).toBe(200);
    const published = await t.request({ method: 'POST', url: '/api/ruleset/publish', headers: olu, payload: { summary: 'review monthly' } });
    expect(published.statusCode).toBe(201);
    expect(published.data).toMatchObject({ reviewedBy: 'olu' });
    const before = (await reminders(olu)).length;
    const timers = (await listOutbox(t.baton.ctx.database.db, { kind: RULESET_REVIEW_TIMER })).filter((row) => (row.payload as { version: number }).version === published.data.version);
    expect(timers.map((row) => row.availableAt)).toEqual([t.clock.now() + 30 * DAY]);

    // The older version's weekly timer comes round: stale, nothing.
    t.clock.advance(7 * DAY);
    await t.baton.outbox.drain();
    expect(await reminders(olu)).toHaveLength(before);

    t.clock.advance(23 * DAY);
    await t.baton.outbox.drain();
    expect(await reminders(olu)).toHaveLength(before + 1);
  });
});
