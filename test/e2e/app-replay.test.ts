/**
 * "Test against past conversations" in real Chromium against a real Baton (issue 19): Spanish
 * enterprise customers and English ones were handed off (the demo's enterprise-spanish rule sends
 * the Spanish ones to the queue es-support); an admin changes that rule's queue to general in the
 * rules editor, tests the draft against the last 7 days — the summary is what POST /api/replay
 * answers, only the Spanish conversations are listed, es-support → general — opens one to see the
 * recorded and replayed traces side by side, publishes with the test's result in the confirmation,
 * and the next Spanish conversation goes to general. Each test starts its own Baton.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  aCustomer,
  chromiumAvailable,
  ensureAppBuilt,
  screenshot,
  signIn,
  startBaton,
  useChromium,
} from './support.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's WCAG 2.x A/AA verdict on one part of the page as it is now (as app-accessibility.test.ts
 * runs it on whole pages).
 */
async function violations(page: Page, selector: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ content: AXE_SOURCE });
  const found = await page.evaluate(async (include) => {
    const g = globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: unknown[] }> }; document: unknown };
    const result = await g.axe.run({ include: [include] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations;
  }, selector);
  return (found as { id: string; help: string; nodes: { target: unknown[] }[] }[]).flatMap((v) => v.nodes.map((n) => `${v.id}: ${v.help} — ${JSON.stringify(n.target)}`));
}

interface ReplaySummary {
  conversations: number;
  replayed: number;
  changed: number;
  unchanged: number;
  skipped: number;
  byChange: { from: unknown; to: unknown; count: number }[];
}

/** A Baton with `spanish` Spanish enterprise handoffs and `english` English ones. */
async function aDeskWithHistory(spanish: number, english: number) {
  await ensureAppBuilt();
  const running = await startBaton();
  const ids = { spanish: [] as string[], english: [] as string[] };
  for (let i = 0; i < spanish; i++) {
    const customer = await aCustomer(running, { name: `Sofía ${i}`, language: 'es', properties: { plan: 'enterprise' } });
    expect((await customer.askForHuman()).status).toBeLessThan(300);
    ids.spanish.push(customer.id);
  }
  for (let i = 0; i < english; i++) {
    const customer = await aCustomer(running, { name: `Sam ${i}`, language: 'en' });
    expect((await customer.askForHuman()).status).toBeLessThan(300);
    ids.english.push(customer.id);
  }
  for (const id of ids.spanish) {
    const c = await running.api<{ queue: string | null }>('GET', `/api/conversations/${id}`);
    expect(c.data.queue).toBe('es-support');
  }
  return { running, ids };
}

/** In the rules editor: the enterprise-spanish rule now sends to the queue general (unsaved). */
async function sendSpanishToGeneral(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Edit enterprise-spanish' }).click();
  const form = page.getByRole('group', { name: 'Edit rule enterprise-spanish' });
  await form.getByRole('combobox', { name: 'Queue', exact: true }).selectOption('general');
  await page.getByText('Unsaved changes: save the draft to keep them.').waitFor();
}

const figure = (page: Page, name: string) =>
  page
    .getByRole('region', { name: 'Test against past conversations' })
    .locator('.replay-figures > div')
    .filter({ has: page.getByText(name, { exact: true }) })
    .locator('dd')
    .textContent();

describe.skipIf(!chromiumAvailable())('Rules: test a draft against past conversations', () => {
  const chromium = useChromium();

  it('an admin edits a rule, tests it, sees the Spanish conversations move from es-support to general, opens one, publishes', async () => {
    const { running, ids } = await aDeskWithHistory(3, 2);
    try {
      // bypassCSP: axe-core is injected into the page, whose CSP forbids inline scripts.
      const { page } = await chromium.newPage({ timeout: 15_000, bypassCSP: true });
      await signIn(page, `${running.url}/settings/rules`, 'olu@acme.test');
      await page.getByRole('heading', { name: 'Handoff rules' }).waitFor();
      await sendSpanishToGeneral(page);

      await page.getByRole('button', { name: 'Test against past conversations', exact: true }).click();
      const panel = page.getByRole('region', { name: 'Test against past conversations' });
      const status = panel.getByRole('status');
      await status.filter({ hasText: 'Tested:' }).waitFor();
      expect(await status.getAttribute('aria-live')).toBe('polite');
      expect(await status.textContent()).toBe('Tested: 3 of 5 conversations would change.');
      // The unsaved edit was saved as the draft first: the test is of the draft the server holds.
      const draft = await running.api<{ changed: boolean; saved: boolean }>('GET', '/api/ruleset/draft');
      expect(draft.data).toMatchObject({ saved: true, changed: true });

      // The same figures as the API for the same dates (the last 7 days in the workspace's zone).
      const from = await panel.getByLabel('From').inputValue();
      const to = await panel.getByLabel('To').inputValue();
      expect(to).toBe(
        new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Madrid', year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now()),
      );
      expect(Date.parse(to) - Date.parse(from)).toBe(6 * 86_400_000);
      const api = await running.api<{ summary: ReplaySummary }>('POST', '/api/replay', { ruleset: 'draft', from, to });
      expect(api.status).toBe(200);
      const s = api.data.summary;
      expect(s).toMatchObject({ conversations: 5, replayed: 5, changed: 3, unchanged: 2, skipped: 0 });
      expect(await figure(page, 'Conversations')).toBe(String(s.conversations));
      expect(await figure(page, 'Handoffs replayed')).toBe(String(s.replayed));
      expect(await figure(page, 'Changed')).toBe(String(s.changed));
      expect(await figure(page, 'Unchanged')).toBe(String(s.unchanged));
      expect(await figure(page, 'Skipped')).toBe(String(s.skipped));

      const moves = panel.getByRole('table', { name: 'Where routing would change' });
      expect(await moves.getByRole('columnheader').allTextContents()).toEqual([
        'Recorded (rule → destination)',
        'With the draft',
        'Handoffs',
      ]);
      expect(await moves.locator('tbody tr').allInnerTexts()).toEqual([
        expect.stringMatching(/enterprise-spanish → queue es-support\s+enterprise-spanish → queue general\s+3/),
      ]);

      // Only the Spanish conversations are listed, each es-support → general.
      const list = panel.getByRole('table', { name: /Changed conversations/ });
      const rows = list.locator('tbody tr');
      expect(await rows.count()).toBe(3);
      for (const row of await rows.all()) {
        const cells = await row.getByRole('cell').allTextContents();
        expect(cells[1]).toMatch(/^enterprise-spanish → queue es-support, /);
        expect(cells[2]).toMatch(/^enterprise-spanish → queue general, /);
        expect(cells[3]).toContain('destination');
      }
      expect(await panel.getByRole('button', { name: 'Load more' }).count()).toBe(0);
      await screenshot(page, 'app-replay-summary');

      // One handoff opened from the keyboard: both traces side by side.
      const compareButton = rows.first().getByRole('button', { name: /^Compare traces/ });
      await compareButton.focus();
      await page.keyboard.press('Enter');
      const compare = panel.getByRole('region', { name: /recorded and with the draft/ });
      await compare.waitFor();
      expect(await compareButton.getAttribute('aria-expanded')).toBe('true');
      const recorded = compare.getByRole('region', { name: 'Recorded', exact: true });
      const replayed = compare.getByRole('region', { name: 'With the draft', exact: true });
      await recorded.getByRole('list', { name: 'Rules evaluated' }).waitFor();
      await replayed.getByRole('list', { name: 'Rules evaluated' }).waitFor();
      expect(await recorded.textContent()).toContain('queue es-support');
      expect(await replayed.textContent()).toContain('queue general');
      expect(await replayed.getByRole('list', { name: 'Rules evaluated' }).textContent()).toContain('enterprise-spanish matched');
      const href = await compare.getByRole('link', { name: 'Open the conversation' }).getAttribute('href');
      expect(ids.spanish.map((id) => `/conversations/${encodeURIComponent(id)}`)).toContain(href);
      // The focus went to the comparison; Escape closes it and returns the focus to the row's button.
      expect(await page.evaluate<string>('document.activeElement?.id ?? ""')).toBe('replay-compare-title');
      await compare.scrollIntoViewIfNeeded();
      await screenshot(page, 'app-replay-compare');
      expect(await violations(page, '#replay-panel')).toEqual([]);
      expect(await page.evaluate<string>('document.activeElement?.id ?? ""')).toBe('replay-compare-title');
      await page.keyboard.press('Escape');
      await expect.poll(() => compare.count()).toBe(0);
      await expect.poll(() => page.evaluate<string>('document.activeElement?.textContent ?? ""')).toContain('Compare traces');

      // Publishing: the confirmation says what the test found.
      const publish = page.getByRole('group', { name: 'Unpublished draft' });
      await publish.scrollIntoViewIfNeeded();
      await publish.getByText(/^Last test: 3 of 5 conversations would change, run (just now|1 min ago)\.$/).waitFor();
      await publish.getByLabel('Publish summary (required)').fill('Spanish enterprise customers go to general');
      await screenshot(page, 'app-replay-publish');
      await publish.getByRole('button', { name: 'Publish draft' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: /^The draft was published as version 2\. Last test: 3 of 5 conversations would change/ })
        .waitFor();

      // After publishing, a new Spanish conversation goes to general.
      const next = await aCustomer(running, { name: 'Lucía', language: 'es', properties: { plan: 'enterprise' } });
      expect((await next.askForHuman()).status).toBeLessThan(300);
      const routed = await running.api<{ queue: string | null; handoff: { rule: string; ruleVersion: number | null } | null }>(
        'GET',
        `/api/conversations/${next.id}`,
      );
      expect(routed.data.queue).toBe('general');
      expect(routed.data.handoff).toMatchObject({ rule: 'enterprise-spanish', ruleVersion: 2 });
      expect(chromium.pageErrors).toEqual([]);
    } finally {
      await running.close();
    }
  });

  it('says when the draft was not tested or changed after its test, filters by queue, and fits a phone', async () => {
    const { running, ids } = await aDeskWithHistory(2, 1);
    try {
      // A transfer is a handoff too, decided by the person, not by the rules: replay skips it.
      const moved = await running.api('POST', `/api/conversations/${ids.english[0]!}/assign`, { queue: 'es-support' });
      expect(moved.status).toBeLessThan(300);
      const { page } = await chromium.newPage({ timeout: 15_000 });
      await signIn(page, `${running.url}/settings/rules`, 'olu@acme.test');
      await page.getByRole('heading', { name: 'Handoff rules' }).waitFor();
      await sendSpanishToGeneral(page);
      await page.getByRole('button', { name: 'Save draft' }).first().click();
      const publish = page.getByRole('group', { name: 'Unpublished draft' });
      await publish.getByText('Not tested against past conversations.').waitFor();

      // Tested from beside Publish, narrowed to the queue general: nothing there changes.
      await publish.getByRole('button', { name: 'Test the draft against past conversations' }).click();
      const panel = page.getByRole('region', { name: 'Test against past conversations' });
      const everything = 'Tested: 2 of 4 handoffs (in 3 conversations) would change (1 skipped).';
      await panel.getByRole('status').filter({ hasText: everything }).waitFor();
      expect(await panel.getByRole('list', { name: 'Why handoffs were skipped' }).innerText()).toBe(
        '1 decided by a transfer, not by the rules',
      );
      await panel.getByLabel('Queue').selectOption('general');
      await panel.getByRole('button', { name: 'Test again', exact: true }).click();
      await panel.getByRole('status').filter({ hasText: 'Tested: 0 of 1 conversation would change.' }).waitFor();
      expect(await panel.getByRole('table', { name: /Changed conversations/ }).count()).toBe(0);
      await panel.getByLabel('Queue').selectOption('');
      await panel.getByRole('button', { name: 'Test again', exact: true }).click();
      await panel.getByRole('status').filter({ hasText: everything }).waitFor();
      await publish.getByText(/^Last test: 2 of 4 handoffs \(in 3 conversations\) would change \(1 skipped\), run/).waitFor();

      // On a phone: no horizontal overflow; the list is one block per handoff, the traces stacked.
      await page.setViewportSize({ width: 390, height: 844 });
      try {
        const fits = async () => expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
        await panel.scrollIntoViewIfNeeded();
        await fits();
        await screenshot(page, 'app-replay-390');
        await panel.getByRole('table', { name: /Changed conversations/ }).scrollIntoViewIfNeeded();
        await screenshot(page, 'app-replay-390-list');
        await panel.getByRole('button', { name: /^Compare traces/ }).first().click();
        await panel.getByRole('region', { name: 'With the draft', exact: true }).getByRole('list', { name: 'Rules evaluated' }).waitFor();
        await fits();
        await panel.getByRole('region', { name: 'Recorded', exact: true }).scrollIntoViewIfNeeded();
        await screenshot(page, 'app-replay-390-compare');
        await panel.getByRole('region', { name: 'With the draft', exact: true }).scrollIntoViewIfNeeded();
        await screenshot(page, 'app-replay-390-compare-draft');
        await panel.getByRole('button', { name: 'Close the comparison' }).click();
      } finally {
        await page.setViewportSize({ width: 1280, height: 800 });
      }

      // The rule changes again and is saved: the last test no longer speaks for the draft.
      await page.getByRole('group', { name: 'Edit rule enterprise-spanish' }).getByRole('combobox', { name: 'Queue', exact: true }).selectOption('es-support');
      await page.getByRole('button', { name: 'Move enterprise-spanish down' }).click();
      await page.getByRole('button', { name: 'Save draft' }).first().click();
      await publish.getByText(/the draft changed since, so the result is stale/).waitFor();
      await panel.getByText('The draft changed after this test: the result is stale.').waitFor();

      expect(chromium.pageErrors).toEqual([]);
    } finally {
      await running.close();
    }
  });
});
