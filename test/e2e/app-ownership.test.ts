/**
 * Ownership in real Chromium (issue 16 §2): María opens a conversation Ana holds and sees who
 * holds it and Take over — not Claim, Release, Hand back or Resolve; she takes it over and Ana's
 * app tells Ana, live. Then the first reply stops the SLA clock live in Ana's open pane; and a
 * conversation María transferred to Ana and Ana released is not handed back to either, visibly.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, chromiumAvailable, ensureAppBuilt, screenshot, signIn, startBaton, type RunningBaton, useChromium } from './support.js';

describe.skipIf(!chromiumAvailable())('taking over a colleague’s conversation in Chromium', () => {
  const chromium = useChromium();
  let running: RunningBaton;
  let ana: Page;
  let maria: Page;
  let id: string;

  beforeAll(async () => {
    await ensureAppBuilt();
    running = await startBaton();
    // Only Ana is on duty: the handoff gives her the conversation.
    for (const user of ['sam', 'maria', 'olu']) expect((await running.api('PATCH', `/api/users/${user}/status`, { status: 'offline' })).status).toBe(200);
    const customer = await aCustomer(running, { name: 'Lucía Fernández', language: 'en' });
    expect((await customer.askForHuman()).status).toBeLessThan(300);
    id = customer.id;
    expect((await running.api<{ owner: string | null }>('GET', `/api/conversations/${id}`)).data.owner).toBe('ana');

    ({ page: ana } = await chromium.newPage({ timeout: 10_000 }));
    ({ page: maria } = await chromium.newPage({ timeout: 10_000 }));
    for (const [page, email] of [
      [ana, 'ana@acme.test'],
      [maria, 'maria@acme.test'],
    ] as const) {
      await signIn(page, running.url, email);
      await page.getByRole('navigation', { name: 'Inbox views' }).waitFor();
      await page.getByText('Live', { exact: true }).waitFor();
    }
  }, 120_000);

  afterAll(async () => {
    await running?.close();
  });

  const toolbar = (page: Page) => page.getByRole('toolbar', { name: 'Conversation actions' });
  const unread = async (page: Page): Promise<number> =>
    Number(/(\d+) unread/.exec((await page.getByRole('button', { name: /^Notifications, \d+ unread$/ }).getAttribute('aria-label')) ?? '')?.[1]);

  it('shows a teammate who holds it and Take over, and nothing the server would refuse', async () => {
    await maria.goto(`${running.url}/conversations/${id}`);
    await maria.getByRole('heading', { name: 'Lucía Fernández' }).waitFor();
    await maria.locator('.conversation-head').getByText('Held by Ana García').waitFor();
    await toolbar(maria).getByRole('button', { name: 'Take over' }).waitFor();
    for (const name of ['Claim', 'Release', 'Resolve', 'Hand back to AI']) {
      expect(await toolbar(maria).getByRole('button', { name, exact: true }).count()).toBe(0);
    }
    expect(await maria.getByRole('button', { name: 'Transfer', exact: true }).count()).toBe(0);
    await screenshot(maria, 'ownership-held-by-ana');
  });

  it('takes it over, and the holder’s app says so at once', async () => {
    await ana.goto(`${running.url}/conversations/${id}`);
    await ana.getByRole('heading', { name: 'Lucía Fernández' }).waitFor();
    await toolbar(ana).getByRole('button', { name: 'Resolve' }).waitFor();
    const before = await unread(ana);

    await toolbar(maria).getByRole('button', { name: 'Take over' }).click();
    await toolbar(maria).getByRole('button', { name: 'Release' }).waitFor();
    await toolbar(maria).getByRole('button', { name: 'Resolve' }).waitFor();
    expect(await maria.locator('.conversation-head').getByText('Held by', { exact: false }).count()).toBe(0);
    expect((await running.api<{ owner: string | null }>('GET', `/api/conversations/${id}`)).data.owner).toBe('maria');

    // Ana: the bell counts it, the centre names who took it, and her pane now offers Take over.
    await expect.poll(() => unread(ana), { timeout: 10_000 }).toBe(before + 1);
    await ana.locator('.conversation-head').getByText('Held by María López').waitFor();
    await toolbar(ana).getByRole('button', { name: 'Take over' }).waitFor();
    expect(await toolbar(ana).getByRole('button', { name: 'Resolve', exact: true }).count()).toBe(0);
    await ana.getByRole('button', { name: /^Notifications, \d+ unread$/ }).click();
    await ana.getByRole('region', { name: 'Notifications' }).getByText('María López took over your conversation with Lucía Fernández').waitFor();
    await screenshot(ana, 'ownership-taken-over-notification');
    await ana.keyboard.press('Escape');
  });

  it('stops the SLA badge live in every open pane after the first reply', async () => {
    const panel = ana.getByRole('region', { name: 'Handoff' });
    await expect.poll(async () => (await panel.textContent()) ?? '').toMatch(/left to first response/);

    await maria.getByLabel('Reply to the customer').fill('Hi Lucía, María here — I am on it.');
    await maria.getByRole('button', { name: 'Send reply' }).click();

    // Without a reload, in the pane of someone else who has it open.
    await expect.poll(async () => (await panel.textContent()) ?? '', { timeout: 10_000 }).toContain('First response in time');
    expect((await panel.textContent()) ?? '').not.toMatch(/left to first response/);
    await expect.poll(async () => (await maria.getByRole('region', { name: 'Handoff' }).textContent()) ?? '').toContain('First response in time');
    await screenshot(ana, 'ownership-sla-stopped');
  });
  it('does not hand it straight back to who gave it away, and says why it waits', async () => {
    // María (holding it) transfers it to Ana; Ana releases it. Both are on duty, Sam is not.
    expect((await running.api('PATCH', '/api/users/maria/status', { status: 'available' })).status).toBe(200);
    await maria.getByLabel('Transfer to').selectOption('user:ana');
    await maria.getByRole('button', { name: 'Transfer', exact: true }).click();
    await maria.locator('.conversation-head').getByText('Held by Ana García').waitFor();
    await toolbar(ana).getByRole('button', { name: 'Release' }).waitFor();
    await toolbar(ana).getByRole('button', { name: 'Release' }).click();

    const why = 'Not offered back to María López or Ana García, who released or transferred it away; waiting for someone else in Support.';
    await ana.getByRole('status').filter({ hasText: why }).waitFor();
    // The sweep runs every second: it still waits, for Sam.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect((await running.api<{ owner: string | null; status: string }>('GET', `/api/conversations/${id}`)).data).toMatchObject({ owner: null, status: 'queued' });
    await screenshot(ana, 'ownership-waits-for-someone-else');

    expect((await running.api('PATCH', '/api/users/sam/status', { status: 'available' })).status).toBe(200);
    await expect.poll(async () => (await running.api<{ owner: string | null }>('GET', `/api/conversations/${id}`)).data.owner, { timeout: 10_000 }).toBe('sam');
    await ana.locator('.conversation-head').getByText('Held by Sam Carter').waitFor();
    expect(await ana.getByRole('status').filter({ hasText: why }).count()).toBe(0);
  });
  it('runs no SLA clock on a conversation resolved before anyone answered, live', async () => {
    const customer = await aCustomer(running, { name: 'Noah Smith', language: 'en' });
    expect((await customer.askForHuman()).status).toBeLessThan(300);
    await ana.goto(`${running.url}/conversations/${customer.id}`);
    await ana.getByRole('heading', { name: 'Noah Smith' }).waitFor();
    const panel = ana.getByRole('region', { name: 'Handoff' });
    await expect.poll(async () => (await panel.textContent()) ?? '').toMatch(/left to first response/);
    // Resolved elsewhere (the admin, over the API): Ana's open pane stops the clock at once.
    expect((await running.api('POST', `/api/conversations/${customer.id}/resolve`)).status).toBe(200);
    await expect.poll(async () => (await panel.textContent()) ?? '', { timeout: 10_000 }).not.toMatch(/left to first response|Overdue/);
    await toolbar(ana).getByRole('button', { name: 'Reopen' }).waitFor();
  });
});
