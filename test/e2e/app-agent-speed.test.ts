/**
 * Agent speed (issue 16 §4) in real Chromium against a real Baton on the demo workspace: a saved
 * reply inserted with `/` and sent with its variables filled in the customer's language; the
 * inbox keyboard (j/k, r, e, ?); a customer's link clickable and safe; and the conversation pane
 * at 1280×800 giving the thread at least half its height. Screenshots under test-artifacts/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, chromiumAvailable, ensureAppBuilt, screenshot, signIn, startBaton, type RunningBaton, useChromium } from './support.js';

/** In the page (evaluate), not in Node. */
declare const document: { activeElement: unknown };

const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 15_000, interval: 100 });

describe.skipIf(!chromiumAvailable())('agent speed in the inbox', () => {
  const chromium = useChromium();
  let running: RunningBaton;
  let page: Page;
  let lucia: Awaited<ReturnType<typeof aCustomer>>;
  let kim: Awaited<ReturnType<typeof aCustomer>>;

  beforeAll(async () => {
    await ensureAppBuilt();
    running = await startBaton();
    const created = await running.api('POST', '/api/saved-replies', {
      title: 'Refund on its way',
      shortcut: 'refund',
      shared: true,
      defaultLanguage: 'en',
      bodies: {
        en: 'Hi {{contact.name}}, this is {{agent.name}}. Your refund is on its way.',
        es: 'Hola {{contact.name}}, soy {{agent.name}}. Tu reembolso está en camino.',
      },
    });
    expect(created.status).toBe(201);
    expect((await running.api('POST', '/api/saved-replies', { title: 'Opening hours', defaultLanguage: 'en', shared: true, bodies: { en: 'We open at 9.' } })).status).toBe(201);

    kim = await aCustomer(running, { name: 'Kim', language: 'en' });
    await kim.say('Where is my parcel?');
    await kim.askForHuman();
    lucia = await aCustomer(running, { name: 'Lucía', language: 'es' });
    await lucia.say('Mi pedido: https://acme.test/orders/7 (urgente).\nSegunda línea javascript:alert(1)');
    await lucia.askForHuman();
    ({ page } = await chromium.newPage({ timeout: 10_000 }));
    await signIn(page, running.url, 'olu@acme.test');
    await page.getByText('Live', { exact: true }).waitFor();
    await page.getByRole('button', { name: /^All/ }).click();
  }, 180_000);

  afterAll(async () => {
    await running?.close();
  });

  const openConversation = async (id: string) => {
    await page.locator(`[data-conversation-id="${id}"]`).click();
    await page.getByRole('heading', { level: 2, name: id === lucia.id ? 'Lucía' : 'Kim' }).waitFor();
  };

  it('shows in each row the latest message, how long the customer has waited, and the SLA', async () => {
    await kim.say('Hello? Still there?');
    const row = page.locator(`[data-conversation-id="${kim.id}"]`);
    await poll(() => row.locator('.row-sub').textContent()).toBe('Hello? Still there?');
    expect(await row.locator('.row-wait').textContent()).toMatch(/^Waiting \d+ s$/);
    expect(await row.locator('.sla').textContent()).toMatch(/^SLA \d+ min$/);
    await screenshot(page, 'speed-list-rows');
  });

  it("shows a customer's link as a safe, clickable link and keeps the line break", async () => {
    await openConversation(lucia.id);
    const thread = page.getByRole('list', { name: 'Messages' });
    const link = thread.locator('a[href="https://acme.test/orders/7"]');
    await link.waitFor();
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.textContent()).toBe('https://acme.test/orders/7');
    expect(await thread.locator('a[href^="javascript"]').count()).toBe(0);
    const body = thread.locator('.message-contact .message-body', { hasText: 'Mi pedido' });
    expect(await body.textContent()).toBe('Mi pedido: https://acme.test/orders/7 (urgente).\nSegunda línea javascript:alert(1)');
    // The line break shows: the second line starts below the first.
    expect((await body.boundingBox())!.height).toBeGreaterThan(30);
  });

  it('inserts a saved reply with / in the language of the customer, variables filled, and sends it', async () => {
    await openConversation(lucia.id);
    // `r` focuses the reply box (not while typing: the page has focus, not a field).
    await page.locator('body').click({ position: { x: 5, y: 795 } });
    await page.keyboard.press('r');
    const composer = page.getByLabel('Reply to the customer');
    await poll(() => composer.evaluate((node) => node === document.activeElement)).toBe(true);
    await page.keyboard.type('/ref');
    const picker = page.getByRole('listbox', { name: 'Saved replies' });
    await picker.waitFor();
    expect(await picker.getByRole('option').allTextContents()).toEqual([expect.stringContaining('Refund on its way')]);
    await screenshot(page, 'speed-saved-reply-picker');
    await page.keyboard.press('Enter');
    await poll(() => composer.inputValue()).toBe('Hola Lucía, soy Olu Bello. Tu reembolso está en camino.');
    expect(await picker.count()).toBe(0);
    await page.keyboard.press('Control+Enter');
    await poll(async () => (await lucia.messages()).map((m) => m.body)).toContain('Hola Lucía, soy Olu Bello. Tu reembolso está en camino.');
    await poll(() => composer.inputValue()).toBe('');

    // Esc closes the picker and leaves the text; arrows move through the choices.
    await composer.fill('');
    await composer.press('/');
    await picker.waitFor();
    await composer.press('ArrowDown');
    expect(await picker.getByRole('option', { selected: true }).textContent()).toContain('Refund on its way');
    await composer.press('Escape');
    expect(await picker.count()).toBe(0);
    expect(await composer.inputValue()).toBe('/');

    // Alt+/ opens the picker over text already written; the choice is added below it.
    await composer.fill('Thanks for waiting.');
    await composer.press('Alt+/');
    await picker.waitFor();
    await page.keyboard.type('open');
    expect(await picker.getByRole('option').count()).toBeGreaterThan(0);
    await composer.press('ArrowDown');
    await composer.press('ArrowUp');
    await composer.press('Tab');
    expect(await composer.inputValue()).toBe('Thanks for waiting.\nWe open at 9.');
    await composer.fill('');
  });

  it('at 1280×800 folds the handoff card once a person replied, keeps the actions and fields in the header, and gives the thread at least half the pane', async () => {
    await openConversation(lucia.id);
    await page.setViewportSize({ width: 1280, height: 800 });
    const handoff = page.locator('details.handoff-fold');
    await poll(() => handoff.evaluate((node: { open: boolean }) => node.open)).toBe(false);
    await screenshot(page, 'speed-layout-1280x800');
    await page.screenshot({ path: '/tmp/speed-layout-1280x800.png' });
    const pane = (await page.locator('#conversation-pane').boundingBox())!;
    const thread = (await page.locator('.conversation-body').boundingBox())!;
    expect(thread.height).toBeGreaterThanOrEqual(pane.height / 2);
    // Actions, priority, tags and transfer are in view without scrolling.
    for (const control of [page.getByRole('button', { name: 'Resolve', exact: true }), page.getByLabel('Priority', { exact: true }), page.getByLabel('Add a tag', { exact: true }), page.getByLabel('Transfer to', { exact: true })]) {
      const box = (await control.boundingBox())!;
      expect(box.y + box.height).toBeLessThanOrEqual(thread.y);
    }
    // The one summary line says what handed it off and the SLA; a click opens the card.
    expect(await handoff.locator('summary.handoff-head').textContent()).toContain('Customer asked for a person');
    await handoff.locator('summary.handoff-head').click();
    await poll(() => handoff.evaluate((node: { open: boolean }) => node.open)).toBe(true);
    await handoff.getByText('Why this came to me').waitFor();
    await handoff.locator('summary.handoff-head').click();
  });

  it('moves with j and k, focuses the reply with r, resolves with e, lists the shortcuts with ?, and ignores keys typed in a field', async () => {
    await openConversation(kim.id);
    const rows = page.locator('.rows [data-conversation-id]');
    const ids: (string | null)[] = await rows.evaluateAll((nodes: { getAttribute(name: string): string | null }[]) => nodes.map((node) => node.getAttribute('data-conversation-id')));
    const selected = () => page.locator('.rows [aria-current="true"]').getAttribute('data-conversation-id');
    const at = ids.indexOf(kim.id);
    expect(at).toBeGreaterThanOrEqual(0);
    await page.locator('h2#conversation-title').click();

    // Typing j in a field types it.
    await page.getByLabel('Reply to the customer').focus();
    await page.keyboard.press('j');
    expect(await selected()).toBe(kim.id);
    expect(await page.getByLabel('Reply to the customer').inputValue()).toBe('j');
    await page.getByLabel('Reply to the customer').fill('');
    await page.locator('h2#conversation-title').click();

    const direction = at + 1 < ids.length ? 'j' : 'k';
    const neighbour = ids[direction === 'j' ? at + 1 : at - 1];
    await page.keyboard.press(direction);
    await poll(selected).toBe(neighbour);
    await page.keyboard.press(direction === 'j' ? 'k' : 'j');
    await poll(selected).toBe(kim.id);
    await page.getByRole('heading', { level: 2, name: 'Kim' }).waitFor();

    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    const text = await help.textContent();
    for (const words of ['Next conversation', 'Previous conversation', 'Reply to the customer', 'Write an internal note', 'Resolve the conversation']) expect(text).toContain(words);
    await screenshot(page, 'speed-shortcuts');
    // Behind the dialog the inbox does not move.
    await page.keyboard.press(direction);
    expect(await selected()).toBe(kim.id);
    await page.keyboard.press('Escape');
    await poll(() => help.count()).toBe(0);

    await page.keyboard.press('n');
    await poll(() => page.getByLabel('Internal note (only agents see it)').evaluate((node) => node === document.activeElement)).toBe(true);
    await page.locator('h2#conversation-title').click();
    await page.keyboard.press('e');
    await poll(() => page.locator('.conversation-head .badge').first().textContent()).toBe('Resolved');
    await poll(async () => (await running.api<{ status: string }>('GET', `/api/conversations/${kim.id}`)).data.status).toBe('resolved');

    // The customer's rating shows where there is one.
    expect((await running.api('POST', `/api/widget/conversations/${kim.id}/rating`, { score: 4, comment: 'Quick, thanks' }, kim.token)).status).toBeLessThan(300);
    await poll(() => page.locator('.conversation-head .rating').textContent()).toContain('Quick, thanks');
    expect(await page.locator('.conversation-head .rating').textContent()).toContain('4 out of 5');
    await screenshot(page, 'speed-rating');
  });

  it('opens the handoff playbook from the inbox: the active rules in plain language, for an agent too', async () => {
    const { page: agent } = await chromium.newPage({ timeout: 10_000 });
    await signIn(agent, running.url, 'ana@acme.test');
    await agent.getByText('Live', { exact: true }).waitFor();
    await agent.getByRole('link', { name: 'Playbook' }).click();
    await agent.getByRole('heading', { level: 1, name: 'Handoff playbook' }).waitFor();
    const spanish = agent.locator('[data-rule="enterprise-spanish"]');
    await spanish.waitFor();
    const text = (await spanish.textContent()) ?? '';
    expect(text).toContain('When the customer asks for a person or the AI agent cannot help');
    expect(text).toContain('The Spanish support queue (team Billing)');
    expect(text).toContain('are alerted in the app');
    expect(await agent.locator('.playbook-rule').last().textContent()).toContain('Everything else (the fallback)');
    expect(await agent.getByRole('heading', { name: 'What hands a conversation to people' }).isVisible()).toBe(true);
    await screenshot(agent, 'speed-playbook');
    await agent.screenshot({ path: '/tmp/speed-playbook.png', fullPage: true });
  });

  it('lets an agent write a personal saved reply, refusing an unknown variable with its place, and shows shared ones read-only', async () => {
    const { page: agent } = await chromium.newPage({ timeout: 10_000 });
    await signIn(agent, running.url, 'maria@acme.test');
    await agent.getByText('Live', { exact: true }).waitFor();
    await agent.getByRole('link', { name: 'Saved replies' }).click();
    await agent.getByRole('heading', { level: 1, name: 'Saved replies' }).waitFor();
    const list = agent.getByRole('list', { name: 'Saved replies' });
    await list.getByText('Refund on its way', { exact: true }).waitFor();
    expect(await agent.getByRole('button', { name: 'Edit Refund on its way' }).count()).toBe(0);

    await agent.getByRole('button', { name: 'New saved reply' }).click();
    const form = agent.getByRole('form', { name: 'New saved reply' });
    expect(await form.getByText('Shared with every agent').count()).toBe(0);
    await form.getByLabel('Title').fill('Shipping delay');
    await form.getByLabel('Shortcut (after /)').fill('delay');
    await form.getByLabel('Text').fill('Sorry {{contact.nam}}, your parcel is late.\nTrack it at https://track.acme.test');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('alert').waitFor();
    expect(await form.getByRole('alert').textContent()).toContain('bodies.en: unknown variable {{contact.nam}}');
    await form.getByLabel('Text').fill('Sorry {{contact.name}}, your parcel is late.\nTrack it at https://track.acme.test');
    await form.getByRole('button', { name: 'Save' }).click();
    await list.getByText('Shipping delay', { exact: true }).waitFor();
    expect(await list.locator('.saved-reply-item', { hasText: 'Shipping delay' }).textContent()).toContain('Personal');
    await screenshot(agent, 'speed-saved-replies-screen');
    const mine = await running.api<{ items: { title: string; owner: string | null }[] }>('GET', '/api/saved-replies', undefined, await running.tokenFor('maria'));
    expect(mine.data.items.find((r) => r.title === 'Shipping delay')?.owner).toBe('maria');
  });
});
