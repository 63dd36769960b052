/**
 * The XSS corpus (issue 17's probe, kept): hostile text in every stored field a person sees —
 * the contact's name and properties, customer messages, tags, conversation properties, an
 * internal note, an agent's reply — rendered in real Chromium in the agent app (inbox, search,
 * conversation, contact page) and in the widget. Nothing may run: no dialog, no global set by a
 * payload, no element a payload tried to create.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, chromiumAvailable, type E2eServer, ensureAppBuilt, screenshot, signIn, startE2eServer, useChromium } from './support.js';

/** In the page (page.evaluate), not in Node. */
declare const window: { __xss?: unknown };
declare const document: { querySelectorAll(selector: string): { length: number } };
declare const localStorage: { setItem(key: string, value: string): void };

const PAYLOADS = [
  '<img src=x onerror="window.__xss=1">',
  '<svg onload="window.__xss=2"></svg>',
  '"><script>window.__xss=3</script>',
  '<a href="javascript:window.__xss=4">click</a>',
  'javascript:window.__xss=5',
  '[link](javascript:window.__xss=6)',
  '<iframe srcdoc="<script>parent.__xss=7</script>"></iframe>',
  '<div data-xss="1">marker</div>',
  "{{constructor.constructor('window.__xss=8')()}}",
  '<style>body{display:none}</style><b data-xss="2">bold</b>',
];
const ALL = PAYLOADS.join(' ');
/** Elements only a payload could have made. */
const INJECTED = '[data-xss], iframe[srcdoc], img[src="x"], svg[onload], a[href^="javascript:"], style + b';

const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 100 });

describe.skipIf(!chromiumAvailable())('hostile text in every field a person sees', () => {
  const chromium = useChromium();
  let server: E2eServer;
  let agent: Page;
  let customer: Page;
  let conversationId: string;
  const dialogs: string[] = [];

  const clean = async (page: Page, where: string) => {
    expect(await page.evaluate(() => window.__xss), where).toBeUndefined();
    expect(await page.evaluate((selector) => document.querySelectorAll(selector).length, INJECTED), where).toBe(0);
    expect(dialogs, where).toEqual([]);
  };

  beforeAll(async () => {
    await ensureAppBuilt();
    server = await startE2eServer();
    ({ page: agent } = await chromium.newPage({ timeout: 15_000 }));
    ({ page: customer } = await chromium.newPage({ timeout: 15_000 }));
    for (const page of [agent, customer]) {
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
    }
    // Stored through the API, as any customer or integration could.
    const lucia = await aCustomer(server, { name: `Lucía ${PAYLOADS[0]}`, properties: { plan: PAYLOADS[1], company: PAYLOADS[6] } });
    conversationId = lucia.id;
    for (const payload of PAYLOADS) expect((await lucia.say(payload)).status).toBe(201);
    expect((await lucia.askForHuman()).status).toBeLessThan(300);
    const patched = await server.api('PATCH', `/api/conversations/${conversationId}`, { tags: [PAYLOADS[7]!.slice(0, 40), 'x<script>'], properties: { order: PAYLOADS[2] } });
    expect(patched.status).toBe(200);
    const olu = await server.tokenFor('olu');
    expect((await server.api('POST', `/api/conversations/${conversationId}/messages`, { body: `note ${ALL}`, private: true }, olu)).status).toBe(201);
    const claimed = await server.api('POST', `/api/conversations/${conversationId}/claim`, { takeOver: true }, olu);
    expect(claimed.status).toBeLessThan(300);
    expect((await server.api('POST', `/api/conversations/${conversationId}/messages`, { body: `reply ${ALL}` }, olu)).status).toBe(201);
    // The widget on /demo picks this conversation up as its own.
    await customer.goto(`${server.url}/demo`);
    await customer.evaluate(
      ({ token, id }) => localStorage.setItem('baton:widget:web-chat', JSON.stringify({ token, conversationId: id })),
      { token: lucia.token, id: conversationId },
    );
  }, 180_000);

  afterAll(async () => {
    await server?.close();
  });

  it('runs nothing in the inbox, the search results, the conversation and the contact page', async () => {
    await signIn(agent, server.url, 'olu@acme.test');
    await agent.getByRole('button', { name: /^All/ }).click();
    const row = agent.locator(`[data-conversation-id="${conversationId}"]`);
    await row.first().waitFor({ timeout: 20_000 });
    await clean(agent, 'inbox');

    await agent.keyboard.press('/');
    await agent.keyboard.type('marker');
    await agent.keyboard.press('Enter');
    await poll(() => agent.locator(`[data-conversation-id="${conversationId}"]`).count()).toBeGreaterThan(0);
    await clean(agent, 'search results');

    await agent.goto(`${server.url}/conversations/${conversationId}`);
    const thread = agent.getByRole('list', { name: 'Messages' });
    await thread.getByText(PAYLOADS[0]!, { exact: false }).first().waitFor();
    await clean(agent, 'conversation');
    await screenshot(agent, 'xss-conversation');

    const contact = agent.getByRole('link', { name: /Lucía/ }).first();
    if ((await contact.count()) > 0) {
      await contact.click();
      await agent.getByText('Lucía', { exact: false }).first().waitFor();
      await clean(agent, 'contact page');
    }
  });

  it('runs nothing in the widget, live or after a reload', async () => {
    await customer.reload();
    const widget = customer.locator('[data-baton-widget]');
    await widget.getByRole('button', { name: 'Open chat' }).click();
    await poll(() => widget.locator('.msg[data-id]').count()).toBeGreaterThan(PAYLOADS.length);
    await poll(async () => (await widget.locator('.msg.user[data-id]').allTextContents()).some((text) => text.includes('reply'))).toBe(true);
    await clean(customer, 'widget');
    await screenshot(customer, 'xss-widget');
  });
});
