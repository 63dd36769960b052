/**
 * Find anything (issue 16 §3), in real Chromium against a listening Baton: `/` focuses the inbox
 * search, the result shows the snippet with the matched word highlighted (and the customer's
 * markup as text), opening it shows the conversation, Esc clears the search, and the contact
 * page — linked from the conversation's contact name — lists the contact's conversations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, ensureAppBuilt, type RunningBaton, screenshot, startBaton, useChromium } from './support.js';

const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 100 });

describe.skipIf(!chromiumAvailable())('search in the inbox and the contact page', () => {
  const chromium = useChromium();
  let running: RunningBaton;
  let invoiceId: string;
  let otherId: string;

  beforeAll(async () => {
    await ensureAppBuilt();
    running = await startBaton();
    // Two conversations of one contact (the agent API finds the contact again by its external id).
    const contact = { name: 'Priya Raman', email: 'priya@example.com', externalId: 'priya-e2e', properties: { plan: 'enterprise' } };
    const start = async (message: string) => {
      const started = await running.api<{ conversation: { id: string } }>('POST', '/api/conversations', { channel: 'mobile-app', contact, message });
      expect(started.status, JSON.stringify(started.data)).toBe(201);
      return started.data.conversation.id;
    };
    invoiceId = await start('My <b>invoice</b> number 7731 is wrong');
    otherId = await start('And the delivery never came');
    expect(otherId).not.toBe(invoiceId);
  }, 180_000);

  afterAll(async () => {
    await running?.close();
  });

  it('focuses the search with /, shows the match highlighted in its snippet, and opens it', async () => {
    const { page } = await chromium.signedInPage(running.url, 'maria@acme.test', { timeout: 15_000 });
    await page.getByText('Live', { exact: true }).waitFor();
    const box = page.getByRole('searchbox', { name: 'Search conversations' });
    await page.locator('body').click({ position: { x: 5, y: 400 } });
    await page.keyboard.press('/');
    await poll(() => box.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.type('invoice');
    const results = page.getByRole('list', { name: 'Search results' });
    const row = results.locator(`[data-conversation-id="${invoiceId}"]`);
    await row.waitFor();
    expect(await results.locator('[data-conversation-id]').count()).toBe(1);
    expect(await row.locator('mark').allTextContents()).toEqual(['invoice']);
    // The customer's markup is text on the screen, never an element.
    expect(await row.locator('.snippet').textContent()).toContain('My <b>invoice</b> number 7731');
    expect(await row.locator('.snippet b').count()).toBe(0);
    await screenshot(page, 'app-search-results');

    await row.click();
    await page.waitForURL(`**/conversations/${invoiceId}`);
    await page.getByRole('heading', { name: 'Priya Raman' }).waitFor();

    // Esc clears the search: the inbox list is back.
    await box.click();
    await page.keyboard.press('Escape');
    await poll(() => box.inputValue()).toBe('');
    await poll(() => results.count()).toBe(0);
  }, 60_000);

  /** Each test its own page, signed in, on the invoice conversation. */
  const onTheInvoiceConversation = async () => {
    const { page } = await chromium.signedInPage(`${running.url}/conversations/${invoiceId}`, 'maria@acme.test', { timeout: 15_000 });
    await page.getByRole('heading', { name: 'Priya Raman' }).waitFor();
    return page;
  };

  it("doesn't take / from someone typing in a field", async () => {
    const page = await onTheInvoiceConversation();
    const box = page.getByRole('searchbox', { name: 'Search conversations' });
    const composer = page.locator('textarea').first();
    await composer.click();
    await page.keyboard.type('a/b');
    expect(await composer.inputValue()).toBe('a/b');
    expect(await box.inputValue()).toBe('');
    await composer.fill('');
  }, 30_000);

  it("opens the contact page from the conversation's contact name, with their conversations", async () => {
    const page = await onTheInvoiceConversation();
    await page.getByRole('link', { name: 'Priya Raman' }).click();
    await page.waitForURL('**/contacts/*');
    await page.getByRole('heading', { name: 'Priya Raman' }).waitFor();
    await page.getByText('priya@example.com').waitFor();
    await page.getByText('enterprise', { exact: true }).waitFor();
    const list = page.getByRole('list', { name: 'Conversations of this contact' });
    await poll(() => list.locator('a').count()).toBe(2);
    // A string, so it runs in the page (this file is type-checked without the DOM library).
    const hrefs = await page.evaluate<string[]>(
      'Array.from(document.querySelectorAll(\'[aria-label="Conversations of this contact"] a\'), (a) => a.getAttribute("href"))',
    );
    expect(new Set(hrefs)).toEqual(new Set([`/conversations/${invoiceId}`, `/conversations/${otherId}`]));
    await screenshot(page, 'app-contact-page');
    await list.locator(`a[href="/conversations/${otherId}"]`).click();
    await page.waitForURL(`**/conversations/${otherId}`);
    await page.getByRole('heading', { name: 'Priya Raman' }).waitFor();
    expect(chromium.pageErrors).toEqual([]);
  }, 60_000);
});
