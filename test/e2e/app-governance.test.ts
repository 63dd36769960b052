/**
 * Governance in real Chromium against a real Baton (issue 18): the rules screen says when the rules
 * were last reviewed, by whom and when the next review is due, and "Mark reviewed" records it; a
 * conversation that follows a closed one (the customer wrote again after it closed) links to it.
 * The server's clock is moved forward (a moving clock with an offset) to let the auto-close timer
 * fall due.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, chromiumAvailable, ensureAppBuilt, screenshot, signIn, startBaton, useChromium, type RunningBaton } from './support.js';

const DAY = 86_400_000;

describe.skipIf(!chromiumAvailable())('Governance in the app: the rules review and the conversation that follows a closed one', () => {
  const chromium = useChromium();
  let running: RunningBaton;
  let offset = 0;

  beforeAll(async () => {
    await ensureAppBuilt();
    running = await startBaton({ clock: { now: () => Date.now() + offset } });
  }, 120_000);
  afterAll(async () => {
    await running?.close();
  });

  it('shows the last review and the next one due, and marks the rules reviewed', async () => {
    const { page } = await chromium.newPage({ timeout: 10_000 });
    await signIn(page, `${running.url}/settings/rules`, 'olu@acme.test');
    const review = page.getByRole('group', { name: 'Rules review' });
    await expect.poll(async () => (await review.textContent()) ?? '').toMatch(/Last reviewed .+ by .+, next review due .+\./);
    await review.getByRole('button', { name: 'Mark reviewed' }).click();
    await page.getByRole('status').filter({ hasText: 'marked reviewed' }).waitFor();
    await expect.poll(async () => (await review.textContent()) ?? '').toContain('by olu');
    const active = await running.api<{ reviewedBy: string | null }>('GET', '/api/ruleset');
    expect(active.data.reviewedBy).toBe('olu');
    await screenshot(page, 'app-rules-review');
    expect(chromium.pageErrors).toEqual([]);
  });

  it('links a conversation that follows a closed one to it', async () => {
    const customer = await aCustomer(running, { name: 'Rosalind Franklin', language: 'en' });
    expect((await customer.say('I want to talk to a person')).status).toBe(201);
    expect((await running.api('POST', `/api/conversations/${customer.id}/resolve`)).status).toBe(200);
    offset += 8 * DAY;
    await running.baton.outbox.drain();
    const closed = await running.api<{ status: string }>('GET', `/api/conversations/${customer.id}`);
    expect(closed.data.status).toBe('closed');
    const again = await customer.say('Hello again, it broke once more');
    expect(again.status).toBe(201);
    const nextId = (again.data as { conversation: { id: string } }).conversation.id;
    expect(nextId).not.toBe(customer.id);

    const { page } = await chromium.newPage({ timeout: 10_000 });
    await signIn(page, `${running.url}/conversations/${encodeURIComponent(nextId)}`, 'olu@acme.test');
    const link = page.getByRole('link', { name: 'an earlier, closed conversation' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`/conversations/${encodeURIComponent(customer.id)}`);
    await screenshot(page, 'app-previous-conversation');
    await link.click();
    await page.waitForURL(`**/conversations/${encodeURIComponent(customer.id)}`);
    await page.locator('.conversation-head .badge.status-closed').waitFor();
    // A closed conversation offers no Reopen: the customer's next message starts a new one.
    expect(await page.getByRole('toolbar', { name: 'Conversation actions' }).getByRole('button', { name: 'Reopen' }).count()).toBe(0);
    // Nor a reply box the API would refuse (409): a note says why there is none.
    await page.getByRole('note').filter({ hasText: 'This conversation is closed' }).waitFor();
    expect(await page.getByRole('button', { name: 'Send reply' }).count()).toBe(0);
    expect(await page.getByRole('textbox', { name: /reply/i }).count()).toBe(0);
    await screenshot(page, 'app-closed-conversation');
    expect(chromium.pageErrors).toEqual([]);
  });
});
