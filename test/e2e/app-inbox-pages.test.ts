/**
 * The inbox reads a view from the server a page at a time, in real Chromium: the first 50 rows,
 * "Load more" for the rest, the count from the server, and a conversation that arrives live while
 * pages remain is inserted once — never again when the next page brings it.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aCustomer,
  chromiumAvailable,
  ensureAppBuilt,
  type RunningBaton,
  screenshot,
  signIn,
  startBaton,
  useChromium,
} from './support.js';

const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 100 });
const WAITING = 55;

describe.skipIf(!chromiumAvailable())('the inbox a page at a time', () => {
  const chromium = useChromium();
  let running: RunningBaton;
  let page: Page;
  const pageErrors = chromium.pageErrors;

  // A string, so it runs in the page (this file is type-checked without the DOM library).
  const rowIds = async (on: Page = page) =>
    on.evaluate<string[]>(
      'Array.from(document.querySelectorAll("[data-conversation-id]"), (row) => row.getAttribute("data-conversation-id"))',
    );
  const botCount = async (on: Page = page) =>
    (
      await on
        .getByRole('button', { name: /^Bot-handled/ })
        .locator('.count')
        .textContent()
    )?.trim();

  beforeAll(async () => {
    await ensureAppBuilt();
    running = await startBaton();
    // Conversations still with the AI agent, each a customer who opened the chat.
    for (let i = 0; i < WAITING; i += 1)
      await aCustomer(running, { name: `Customer ${String(i + 1).padStart(2, '0')}` });
    ({ page } = await chromium.newPage({ timeout: 15_000 }));
  }, 180_000);

  afterAll(async () => {
    await running?.close();
  });

  it('shows the first 50 rows of a view and the count of all of them', async () => {
    await signIn(page, running.url, 'maria@acme.test');
    await page.getByText('Live', { exact: true }).waitFor();
    await page.getByRole('button', { name: /^Bot-handled/ }).click();
    await poll(async () => (await rowIds()).length).toBe(50);
    await poll(() => botCount()).toBe(String(WAITING));
    await page.getByRole('button', { name: 'Load more' }).waitFor();
    await screenshot(page, 'app-pages-first');
  }, 60_000);

  it('inserts a conversation that arrives live once, and Load more brings the rest without repeating a row', async () => {
    const late = await aCustomer(running, { name: 'Zoe Late' });
    expect((await late.say('Where is my order?')).status).toBeLessThan(300);
    await poll(async () => (await rowIds())[0]).toBe(late.id);
    expect(await rowIds()).toHaveLength(51);
    await poll(() => botCount()).toBe(String(WAITING + 1));

    const more = page.getByRole('button', { name: 'Load more' });
    await more.focus();
    await page.keyboard.press('Enter');
    await poll(async () => (await rowIds()).length).toBe(WAITING + 1);
    const ids = await rowIds();
    expect(new Set(ids).size).toBe(ids.length);
    expect(await more.count()).toBe(0);
    expect(await botCount()).toBe(String(WAITING + 1));
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('keeps the Load more button reachable on a 390-pixel phone screen', async () => {
    const { context: phone, page: small } = await chromium.newPage({
      viewport: { width: 390, height: 844 },
      storageState: await page.context().storageState(),
      isMobile: true,
      hasTouch: true,
      timeout: 15_000,
    });
    await small.goto(running.url);
    await small.getByRole('button', { name: /^Bot-handled/ }).click();
    await poll(async () => (await rowIds(small)).length).toBe(50);
    const more = small.getByRole('button', { name: 'Load more' });
    await more.scrollIntoViewIfNeeded();
    expect(await more.isVisible()).toBe(true);
    const overflow = await small.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(small, 'app-pages-phone');
    await more.click();
    await poll(async () => (await rowIds(small)).length).toBe(WAITING + 1);
    await phone.close();
  }, 60_000);
});
