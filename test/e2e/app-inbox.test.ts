/**
 * The agent app in real Chromium against a real Baton: sign in, a customer handed off through
 * the widget API shows up live, the agent reads why it came to them, claims and replies, and
 * customer text stays text. Screenshots go to test-artifacts/ for a person to look at.
 */
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, artifactsDir, chromiumAvailable, DEMO_PASSWORD, ensureAppBuilt, startBaton, type RunningBaton, useChromium } from './support.js';

const XSS = '<img src=x onerror=alert(1)>';

describe.skipIf(!chromiumAvailable())('the agent inbox in Chromium', () => {
  const chromium = useChromium();
  let running: RunningBaton;
  let context: BrowserContext;
  let page: Page;
  const dialogs: string[] = [];
  const pageErrors = chromium.pageErrors;
  const sockets: string[] = [];
  let customer: Awaited<ReturnType<typeof aCustomer>>;

  beforeAll(async () => {
    await ensureAppBuilt();
    running = await startBaton();
    // Nobody else in the General queue's team is on duty, so the handoff waits for María to claim it.
    for (const user of ['sam', 'ana']) {
      const res = await running.api('PATCH', `/api/users/${user}/status`, { status: 'offline' });
      expect(res.status).toBe(200);
    }
    // Fail with Playwright's message (what it waited for) before vitest's 30 s test timeout.
    ({ context, page } = await chromium.newPage({ timeout: 10_000 }));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('websocket', (socket) => sockets.push(socket.url()));
  }, 120_000);

  afterAll(async () => {
    await running?.close();
  });

  const shot = (name: string, on: Page = page) => on.screenshot({ path: join(artifactsDir(), `app-${name}.png`), fullPage: false });

  it('refuses a wrong password with a message, then signs in', async () => {
    await page.goto(running.url);
    await expect.poll(() => page.getByRole('heading', { name: 'Sign in to your inbox' }).isVisible()).toBe(true);
    await page.getByLabel('Email').fill('maria@acme.test');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('do not match');
    await shot('sign-in');

    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Inbox views' }).waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
  });

  it('switches availability to away through the API', async () => {
    await page.getByLabel('Your availability').selectOption('away');
    await expect
      .poll(async () => (await running.api<{ items: { id: string; currentStatus: string }[] }>('GET', '/api/users')).data.items.find((u) => u.id === 'maria')?.currentStatus)
      .toBe('away');
  });

  it('shows a conversation handed off by a customer live, without a reload', async () => {
    await page.getByRole('button', { name: /^Unassigned/ }).click();
    const before = await page.getByRole('button', { name: /^Unassigned/ }).textContent();
    customer = await aCustomer(running, { name: 'Lucía Fernández', language: 'en', properties: { plan: 'pro', region: 'emea' } });
    expect((await customer.say(XSS)).status).toBeLessThan(300);
    expect((await customer.askForHuman()).status).toBeLessThan(300);

    const row = page.locator(`[data-conversation-id="${customer.id}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('Lucía Fernández');
    expect(await page.getByRole('button', { name: /^Unassigned/ }).textContent()).not.toBe(before);
    await shot('inbox');
  });

  it('opens it with the handoff panel and shows customer HTML as literal text', async () => {
    await page.locator(`[data-conversation-id="${customer.id}"]`).click();
    await page.getByRole('heading', { name: 'Lucía Fernández' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/conversations/${customer.id}`);

    const panel = page.getByRole('region', { name: 'Handoff' });
    // The row can show before the conversation's handoff record is read (the frame comes first).
    await expect.poll(async () => (await panel.textContent()) ?? '').toContain('Why this came to me');
    const text = (await panel.textContent()) ?? '';
    expect(text).toMatch(/Customer asked for a person|The AI agent could not help/);
    expect(text).toContain('Why this came to me');
    expect(text).toContain('fallback');
    expect(text).toContain('plan');
    expect(text).toContain('pro');
    expect(text).toMatch(/left to first response|Overdue/);
    // The extractive summary quotes the customer: as text, like the thread.
    expect(text).toContain("Summary (the customer's own words)");
    expect(await panel.locator('img').count()).toBe(0);

    const thread = page.getByRole('list', { name: 'Messages' });
    await thread.getByText(XSS, { exact: true }).waitFor();
    expect(await thread.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await shot('conversation');
  });

  it('shows when the customer is typing until their message arrives, and tells others when the agent writes a reply', async () => {
    const indicator = page.getByRole('status').filter({ hasText: 'is typing' });
    expect((await customer.typing()).status).toBeLessThan(300);
    await indicator.waitFor();
    expect(await indicator.textContent()).toBe('Lucía Fernández is typing…');
    expect(await indicator.getAttribute('aria-live')).toBe('polite');
    await shot('conversation-typing');
    expect((await customer.say('One more detail: it is invoice 1042')).status).toBeLessThan(300);
    await page.getByRole('list', { name: 'Messages' }).getByText('One more detail: it is invoice 1042').waitFor();
    await indicator.waitFor({ state: 'detached' });

    // Typing a reply tells the customer (once for a burst of keystrokes); a note never does.
    const typingRequests: string[] = [];
    page.on('response', (response) => {
      if (response.url().endsWith(`/api/conversations/${customer.id}/typing`)) typingRequests.push(`${response.request().method()} ${response.status()}`);
    });
    await page.getByRole('button', { name: 'Note' }).click();
    await page.getByLabel('Internal note (only agents see it)').pressSequentially('draft');
    await page.getByLabel('Internal note (only agents see it)').fill('');
    await page.getByRole('button', { name: 'Reply', exact: true }).click();
    expect(typingRequests).toEqual([]);
    await page.getByLabel('Reply to the customer').pressSequentially('Hola');
    await expect.poll(() => typingRequests).toEqual(['POST 204']);
    await page.getByLabel('Reply to the customer').fill('');
  });

  it('claims and replies, and the customer receives the reply', async () => {
    await page.getByRole('button', { name: 'Claim', exact: true }).click();
    await page.getByRole('button', { name: 'Release' }).waitFor();
    await expect.poll(async () => (await running.api<{ owner: string | null }>('GET', `/api/conversations/${customer.id}`)).data.owner).toBe('maria');

    await page.getByLabel('Reply to the customer').fill('Hola Lucía, I am María — let me look at this.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByRole('list', { name: 'Messages' }).getByText('Hola Lucía, I am María — let me look at this.').waitFor();
    await expect.poll(async () => (await customer.messages()).map((m) => m.body)).toContain('Hola Lucía, I am María — let me look at this.');

    // The conversation moved to Mine, live.
    await page.getByRole('button', { name: /^Mine/ }).click();
    await page.locator(`[data-conversation-id="${customer.id}"]`).waitFor();
    await shot('conversation-claimed');
  });

  it('adds an internal note the customer never sees', async () => {
    await page.getByRole('button', { name: 'Note' }).click();
    await page.getByLabel('Internal note (only agents see it)').fill('Check the invoice from October.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.locator('.message-note').getByText('Check the invoice from October.').waitFor();
    expect((await customer.messages()).map((m) => m.body)).not.toContain('Check the invoice from October.');
  });

  it('sets priority and tags, transfers to a queue, resolves and reopens', async () => {
    const conversation = async () => (await running.api<{ priority: string; tags: string[]; status: string; queue: string | null; owner: string | null }>('GET', `/api/conversations/${customer.id}`)).data;
    await page.getByLabel('Priority', { exact: true }).selectOption('high');
    await expect.poll(async () => (await conversation()).priority).toBe('high');
    await page.getByLabel('Add a tag').fill('invoice');
    await page.getByLabel('Add a tag').press('Enter');
    await page.getByRole('button', { name: 'Remove tag invoice' }).waitFor();
    await expect.poll(async () => (await conversation()).tags).toContain('invoice');

    await page.getByRole('button', { name: 'Resolve', exact: true }).click();
    await page.getByRole('button', { name: 'Reopen', exact: true }).waitFor();
    await expect.poll(async () => (await conversation()).status).toBe('resolved');
    await page.getByRole('button', { name: 'Reopen', exact: true }).click();
    await page.getByRole('button', { name: 'Resolve', exact: true }).waitFor();
    await expect.poll(async () => (await conversation()).status).not.toBe('resolved');

    await page.getByLabel('Transfer to').selectOption('queue:general');
    await page.getByRole('button', { name: 'Transfer', exact: true }).click();
    await expect.poll(async () => (await conversation()).owner).toBe(null);
    await page.getByRole('button', { name: 'Claim', exact: true }).waitFor();
  });

  it('counts unread notifications and marks them read', async () => {
    const bell = page.getByRole('button', { name: /^Notifications, \d+ unread$/ });
    const unread = async () => Number(/(\d+) unread/.exec((await bell.getAttribute('aria-label')) ?? '')?.[1]);
    await expect.poll(unread).toBeGreaterThan(0);
    await bell.click();
    const panel = page.getByRole('region', { name: 'Notifications' });
    await panel.waitFor();
    expect(await panel.getByRole('button').count()).toBeGreaterThan(1);
    await shot('notifications');
    await panel.getByRole('button', { name: 'Mark all read' }).click();
    await expect.poll(unread).toBe(0);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
  });

  it('opens a conversation from the keyboard', async () => {
    await page.getByRole('button', { name: /^All open/ }).click();
    await page.locator(`[data-conversation-id="${customer.id}"]`).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Lucía Fernández' }).waitFor();
  });

  it('resumes after the socket drops without losing or doubling a message', async () => {
    await page.getByRole('list', { name: 'Messages' }).waitFor();
    // Cut every live socket, then have the customer write while the app is reconnecting: the
    // message must come from the replay after `?after=`, exactly once.
    for (const client of running.baton.app.websocketServer.clients) client.terminate();
    expect((await customer.say('Are you still there?')).status).toBeLessThan(300);
    const thread = page.getByRole('list', { name: 'Messages' });
    await thread.getByText('Are you still there?', { exact: true }).waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    await customer.say('Hello again');
    await thread.getByText('Hello again', { exact: true }).waitFor();
    expect(await thread.getByText('Are you still there?', { exact: true }).count()).toBe(1);
    expect(sockets.at(-1)).toMatch(/\/api\/realtime\?after=\d+$/);
    expect(await page.locator(`[data-conversation-id="${customer.id}"]`).count()).toBe(1);
  });

  it('works on a 390-pixel phone screen, one pane at a time', async () => {
    const { context: phone, page: small } = await chromium.newPage({ viewport: { width: 390, height: 844 }, storageState: await context.storageState(), isMobile: true, hasTouch: true, timeout: 10_000 });
    small.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await small.goto(running.url);
    await small.getByRole('navigation', { name: 'Inbox views' }).waitFor();
    await small.getByRole('button', { name: /^All open/ }).click();
    await small.locator(`[data-conversation-id="${customer.id}"]`).waitFor();
    // A string, so it runs in the page (this file is type-checked without the DOM library).
    const overflow = await small.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('phone-inbox', small);
    await small.locator(`[data-conversation-id="${customer.id}"]`).click();
    await small.getByRole('region', { name: 'Handoff' }).waitFor();
    expect(await small.getByRole('navigation', { name: 'Inbox views' }).isVisible()).toBe(false);
    // The first bubble of the thread starts below the handoff panel, never over it.
    const firstBubble = small.getByRole('list', { name: 'Messages' }).locator('.message').first();
    await firstBubble.waitFor();
    const panelBox = await small.getByRole('region', { name: 'Handoff' }).boundingBox();
    const bubbleBox = await firstBubble.boundingBox();
    expect(panelBox).not.toBeNull();
    expect(bubbleBox).not.toBeNull();
    if (panelBox !== null && bubbleBox !== null) expect(bubbleBox.y).toBeGreaterThanOrEqual(panelBox.y + panelBox.height);
    await shot('phone-conversation', small);
    await small.getByRole('button', { name: 'Back to the list' }).click();
    await small.locator(`[data-conversation-id="${customer.id}"]`).waitFor();
    await phone.close();
    expect(dialogs).toEqual([]);
  });

  it('signs out back to the sign-in form', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to your inbox' }).waitFor();
    expect((await page.request.get(`${running.url}/api/me`)).status()).toBe(401);
    expect(pageErrors).toEqual([]);
  });
});
