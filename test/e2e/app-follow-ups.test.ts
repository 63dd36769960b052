/**
 * The conversation's follow-up tasks and timeline in Chromium (issue 4: "follow-up tasks, the
 * event timeline"): an agent adds a call-back for themselves on a conversation, sees it listed,
 * marks it done, and reads the timeline of the handoff.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { aCustomer, artifactsDir, chromiumAvailable, ensureAppBuilt, type RunningBaton, startBaton, useChromium } from './support.js';

interface TaskView {
  id: string;
  type: string;
  assignee: string | null;
  status: string;
  note: string | null;
  conversationId: string | null;
}

describe.skipIf(!chromiumAvailable())('conversation follow-ups and timeline in Chromium', () => {
  const chromium = useChromium();
  let running: RunningBaton;
  const pageErrors = chromium.pageErrors;

  beforeAll(async () => {
    await ensureAppBuilt();
    running = await startBaton();
  }, 120_000);

  afterAll(async () => {
    await running?.close();
  });

  /** Each test its own customer's conversation, handed off, open in its own page signed in as olu. */
  let page: Page;
  let conversationId: string;
  beforeEach(async () => {
    const customer = await aCustomer(running, { name: 'Tasha Follow', language: 'en' });
    await customer.say('My order never arrived');
    await customer.askForHuman();
    conversationId = customer.id;
    ({ page } = await chromium.signedInPage(`${running.url}/conversations/${conversationId}`, 'olu@acme.test', { timeout: 10_000 }));
    await page.getByText('My order never arrived').first().waitFor();
  }, 60_000);

  const tasks = async () => (await running.api<{ items: TaskView[] }>('GET', `/api/tasks?conversation=${conversationId}`)).data.items;

  /** Adds a call-back for me with a note, from the keyboard. */
  const addCallBack = async (): Promise<void> => {
    await page.getByText(/^Follow-up tasks/).click();
    await page.getByRole('button', { name: '+ Add a follow-up for me' }).click();
    const form = page.getByRole('form', { name: 'Add a follow-up' });
    await form.getByLabel('Kind').selectOption('callback');
    await form.getByLabel('Note').fill('Call Tasha about the <b>courier</b>');
    await form.getByLabel('Note').press('Enter');
  };

  it('adds a call-back for me with a note, from the keyboard, and lists it', async () => {
    await addCallBack();
    await expect.poll(tasks).toEqual([expect.objectContaining({ type: 'callback', assignee: 'olu', status: 'open', note: 'Call Tasha about the <b>courier</b>' })]);
    const list = page.getByRole('list', { name: 'Follow-up tasks' });
    await expect.poll(async () => (await list.textContent()) ?? '').toContain('Call Tasha about the <b>courier</b>');
    expect(await page.getByText(/^Follow-up tasks/).textContent()).toContain('(1 open)');
    await page.screenshot({ path: join(artifactsDir(), 'app-follow-ups.png') });
  });

  it('marks it done: the API says done and the summary counts no open task', async () => {
    await addCallBack();
    await expect.poll(tasks).toEqual([expect.objectContaining({ type: 'callback', status: 'open' })]);
    await page.getByRole('list', { name: 'Follow-up tasks' }).getByRole('button', { name: 'Done' }).click();
    await expect.poll(async () => (await tasks()).map((t) => t.status)).toEqual(['done']);
    await expect.poll(async () => (await page.getByText(/^Follow-up tasks/).textContent()) ?? '').toContain('(0 open)');
  });

  it('shows the timeline of the handoff in words', async () => {
    await page.getByText(/^Timeline/).click();
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await expect.poll(async () => (await timeline.textContent()) ?? '').toContain('Conversation started');
    const text = (await timeline.textContent()) ?? '';
    expect(text).toContain('Handoff started: customer requested human');
    expect(text).toMatch(/Handed off by rule/);
    expect(text).toMatch(/Assigned to /);
    await page.screenshot({ path: join(artifactsDir(), 'app-timeline.png') });
  });

  it('fits a 390-px phone screen', async () => {
    // With both sections open, as an agent who went through them sees the page.
    await page.getByText(/^Follow-up tasks/).click();
    await page.getByText(/^Timeline/).click();
    await page.getByRole('list', { name: 'Timeline' }).waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(artifactsDir(), 'app-timeline-phone.png') });
    expect(pageErrors).toEqual([]);
  });
});
