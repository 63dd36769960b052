/**
 * CSAT in the agent app (issue 18), in real Chromium against a real Baton on the demo workspace: a
 * rated conversation shows its score in the inbox list (a compact "★ 4") and on the conversation
 * (stars and the comment); a rating given while the list is open appears without a reload; a
 * rating of an earlier resolution says so. Screenshots under test-artifacts/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, chromiumAvailable, ensureAppBuilt, screenshot, signIn, startBaton, type RunningBaton, useChromium } from './support.js';

const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 15_000, interval: 100 });

describe.skipIf(!chromiumAvailable())('ratings in the agent app', () => {
  const chromium = useChromium();
  let running: RunningBaton;
  let page: Page;
  let kim: Awaited<ReturnType<typeof aCustomer>>;
  let lee: Awaited<ReturnType<typeof aCustomer>>;
  let mia: Awaited<ReturnType<typeof aCustomer>>;

  const rate = (customer: { id: string; token: string }, score: number, comment?: string) =>
    running.api('POST', `/api/widget/conversations/${customer.id}/rating`, comment === undefined ? { score } : { score, comment }, customer.token);
  const resolve = async (id: string) => expect((await running.api('POST', `/api/conversations/${id}/resolve`, {})).status).toBe(200);

  beforeAll(async () => {
    await ensureAppBuilt();
    running = await startBaton();
    kim = await aCustomer(running, { name: 'Kim', language: 'en' });
    await kim.say('Where is my parcel?');
    await kim.askForHuman();
    await resolve(kim.id);
    expect((await rate(kim, 4, 'Quick, thanks')).status).toBe(200);
    // Rated, then reopened and resolved again without a new rating yet.
    lee = await aCustomer(running, { name: 'Lee', language: 'en' });
    await lee.say('My invoice is wrong');
    await lee.askForHuman();
    await resolve(lee.id);
    expect((await rate(lee, 2)).status).toBe(200);
    expect((await running.api('POST', `/api/conversations/${lee.id}/reopen`, {})).status).toBe(200);
    await resolve(lee.id);
    mia = await aCustomer(running, { name: 'Mia', language: 'en' });
    await mia.say('Can I change my plan?');
    await mia.askForHuman();
    await resolve(mia.id);
    ({ page } = await chromium.newPage({ timeout: 10_000 }));
    await signIn(page, running.url, 'olu@acme.test');
    await page.getByText('Live', { exact: true }).waitFor();
    await page.getByRole('button', { name: /^Resolved/ }).click();
  }, 180_000);

  afterAll(async () => {
    await running?.close();
  });

  const row = (id: string) => page.locator(`[data-conversation-id="${id}"]`);

  it('shows the score in the list, and on the conversation with the comment', async () => {
    await poll(() => row(kim.id).locator('.row-rating').textContent()).toBe('★ 4Rated 4 out of 5');
    expect(await row(kim.id).locator('.row-rating').getAttribute('title')).toBe('Rated 4 out of 5: “Quick, thanks”');
    expect(await row(lee.id).locator('.row-rating').getAttribute('title')).toBe('Rated 2 out of 5 (an earlier resolution)');
    expect(await row(mia.id).locator('.row-rating').count()).toBe(0);
    await screenshot(page, 'ratings-list');

    await row(kim.id).click();
    await page.getByRole('heading', { level: 2, name: 'Kim' }).waitFor();
    const rating = page.locator('.conversation-head .rating');
    await poll(() => rating.textContent()).toContain('4 out of 5');
    expect(await rating.textContent()).toContain('★★★★☆');
    expect(await rating.textContent()).toContain('“Quick, thanks”');
    await screenshot(page, 'ratings-conversation');
  });

  it('shows a rating given while the list is open, without a reload', async () => {
    expect((await rate(mia, 5, 'Lovely')).status).toBe(200);
    await poll(() => row(mia.id).locator('.row-rating').getAttribute('title')).toBe('Rated 5 out of 5: “Lovely”');
    await row(mia.id).click();
    await page.getByRole('heading', { level: 2, name: 'Mia' }).waitFor();
    await poll(() => page.locator('.conversation-head .rating').textContent()).toContain('5 out of 5');
    await screenshot(page, 'ratings-live');
  });
});
