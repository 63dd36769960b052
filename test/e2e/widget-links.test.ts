/**
 * Links in the widget (issue 16 §4 "Customer text"): in real Chromium on /demo, the customer's
 * own message and the agent's reply show their http(s) links as links that open in a new tab
 * without handing the page over (rel="noopener noreferrer"), keep their line breaks, and nothing
 * else in them is interpreted (no javascript: link, no HTML).
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, type E2eServer, screenshot, startE2eServer, useChromium } from './support.js';

declare const localStorage: { getItem(key: string): string | null };

const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 15_000, interval: 100 });

describe.skipIf(!chromiumAvailable())('links in the widget', () => {
  const chromium = useChromium();
  let server: E2eServer;
  let customer: Page;

  beforeAll(async () => {
    server = await startE2eServer();
    ({ page: customer } = await chromium.newPage({ timeout: 10_000 }));
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  it("makes http(s) links clickable and safe in the customer's message and the agent's reply, and keeps line breaks", async () => {
    await customer.goto(`${server.url}/demo`);
    const widget = customer.locator('[data-baton-widget]');
    const bubbles = (kind: string): Locator => widget.locator(`.msg.${kind}[data-id]`);
    await widget.getByRole('button', { name: 'Open chat' }).click();
    const input = widget.getByRole('textbox', { name: 'Message' });
    await input.fill('See https://acme.test/orders/7 please <b>now</b> javascript:alert(1)');
    await input.press('Enter');
    await poll(() => bubbles('contact').count()).toBe(1);
    const own = bubbles('contact').locator('a[href="https://acme.test/orders/7"]');
    await own.waitFor();
    expect(await own.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await own.getAttribute('target')).toBe('_blank');
    expect(await widget.locator('a[href^="javascript"]').count()).toBe(0);
    expect(await widget.locator('b').count()).toBe(0);

    const conversationId = await customer.evaluate(() => (JSON.parse(localStorage.getItem('baton:widget:web-chat') ?? '{}') as { conversationId?: string }).conversationId ?? '');
    expect(conversationId).not.toBe('');
    await widget.getByRole('button', { name: 'Talk to a person' }).click();
    const reply = await server.api('POST', `/api/conversations/${conversationId}/messages`, { body: 'Tracking: https://track.acme.test/x?id=7.\nAnything else?', private: false }, await server.tokenFor('olu'));
    expect(reply.status).toBe(201);
    const agentLink = bubbles('user').locator('a[href="https://track.acme.test/x?id=7"]');
    await agentLink.waitFor({ timeout: 15_000 });
    expect(await agentLink.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await bubbles('user').last().textContent()).toContain('Tracking: https://track.acme.test/x?id=7.\nAnything else?');
    const box = (await bubbles('user').last().boundingBox())!;
    expect(box.height).toBeGreaterThan(50); // who + two lines
    await screenshot(customer, 'widget-links');
  });
});
