/**
 * The whole promise in one run, in two browser contexts of real Chromium: a customer in the widget
 * on /demo asks for a person while an agent is signed in to the agent app; the conversation
 * appears in the agent's inbox live, the agent claims it and replies, and the customer sees the
 * agent join and the reply in the widget — no reload on either side.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, type E2eServer, ensureAppBuilt, screenshot, signIn, startE2eServer, useChromium } from './support.js';

/** In the page (page.evaluate), not in Node. */
declare const localStorage: { getItem(key: string): string | null };

const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 100 });

describe.skipIf(!chromiumAvailable())('widget to inbox and back, live', () => {
  const chromium = useChromium();
  let server: E2eServer;
  let agent: Page;
  let customer: Page;
  const dialogs: string[] = [];

  beforeAll(async () => {
    await ensureAppBuilt();
    server = await startE2eServer();
    // Only María could take the General queue, and she is away: the handoff waits for her claim.
    for (const user of ['sam', 'ana']) expect((await server.api('PATCH', `/api/users/${user}/status`, { status: 'offline' })).status).toBe(200);
    ({ page: agent } = await chromium.newPage({ timeout: 15_000 }));
    ({ page: customer } = await chromium.newPage({ timeout: 15_000 }));
    for (const page of [agent, customer]) {
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
    }
  }, 180_000);

  afterAll(async () => {
    await server?.close();
  });

  it('the agent sees the handoff appear, replies, and the customer reads the reply', async () => {
    await signIn(agent, server.url, 'maria@acme.test');
    await agent.getByText('Live', { exact: true }).waitFor();
    await agent.getByLabel('Your availability').selectOption('away');
    await agent.getByRole('button', { name: /^Unassigned/ }).click();

    await customer.goto(`${server.url}/demo`);
    const widget = customer.locator('[data-baton-widget]');
    const bubbles = (kind: string): Locator => widget.locator(`.msg.${kind}[data-id]`);
    await widget.getByRole('button', { name: 'Open chat' }).click();
    const input = widget.getByRole('textbox', { name: 'Message' });
    await input.fill('My invoice shows the wrong amount <b>twice</b>');
    await input.press('Enter');
    await poll(() => bubbles('contact').count()).toBe(1);
    await widget.getByRole('button', { name: 'Talk to a person' }).click();
    await poll(() => bubbles('system').count()).toBeGreaterThan(0);
    const conversationId = await customer.evaluate(() => (JSON.parse(localStorage.getItem('baton:widget:web-chat') ?? '{}') as { conversationId?: string }).conversationId ?? '');
    expect(conversationId).not.toBe('');

    // Live in the agent's inbox: no reload.
    const row = agent.locator(`[data-conversation-id="${conversationId}"]`);
    await row.waitFor({ timeout: 20_000 });
    expect(await row.count()).toBe(1);
    await row.click();
    const thread = agent.getByRole('list', { name: 'Messages' });
    await thread.getByText('My invoice shows the wrong amount <b>twice</b>', { exact: true }).waitFor();
    expect(await thread.locator('b').count()).toBe(0);
    await agent.getByRole('button', { name: 'Claim', exact: true }).click();
    await agent.getByRole('button', { name: 'Release' }).waitFor();
    await agent.getByLabel('Reply to the customer').fill('Hola, soy María. I am checking your invoice now.');
    await agent.getByRole('button', { name: 'Send reply' }).click();
    await screenshot(agent, 'both-agent-replied');

    // Live in the widget: María joined, then her reply, once each.
    await poll(async () => (await bubbles('system').allTextContents()).some((text) => text.includes('María'))).toBe(true);
    await poll(() => bubbles('user').last().textContent()).toContain('Hola, soy María. I am checking your invoice now.');
    expect(await bubbles('user').count()).toBe(1);
    expect(await widget.locator('b').count()).toBe(0);
    await screenshot(customer, 'both-customer-sees-reply');
    expect(dialogs).toEqual([]);
  }, 120_000);
});
