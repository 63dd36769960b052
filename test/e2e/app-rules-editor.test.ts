/**
 * Settings → Handoff rules in real Chromium against a real Baton (issue 4): an admin adds a rule
 * through the form (a trigger, conditions, a destination from the directory), moves it to the top
 * from the keyboard, saves the draft — the server's problem with an impossible value shows next to
 * its field — fixes it, publishes with a summary, and the API and the simulator route by it.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifactsDir,
  chromiumAvailable,
  ensureAppBuilt,
  type RunningBaton,
  signIn,
  startBaton,
  useChromium,
} from './support.js';

interface ActiveRuleset {
  version: number;
  summary: string | null;
  ruleset: {
    rules: {
      id: string;
      when?: string[];
      if?: unknown;
      then: { destination: Record<string, string>; assignment: string };
    }[];
  };
}
interface Simulation {
  trace: {
    trigger: string;
    rule: string;
    destination: Record<string, string>;
    priority: string;
    customerMessages: { language: string; body: string }[];
  } | null;
}

describe.skipIf(!chromiumAvailable())('Settings: the handoff rules form editor in Chromium', () => {
  const chromium = useChromium();
  let running: RunningBaton;
  let page: Page;
  const pageErrors = chromium.pageErrors;

  beforeAll(async () => {
    await ensureAppBuilt();
    running = await startBaton();
    ({ page } = await chromium.newPage({ timeout: 10_000 }));
  }, 120_000);

  afterAll(async () => {
    await running?.close();
  });

  const shot = (name: string) =>
    page.screenshot({ path: join(artifactsDir(), `app-${name}.png`), fullPage: false });
  const rules = () => page.getByRole('list', { name: 'Rules, in order' });
  const ruleIds = async () =>
    (await rules().locator(':scope > li h3').allTextContents()).map((t) => t.replace(' turned off', ''));
  const form = () => page.getByRole('group', { name: 'Edit rule vip-callers' });
  const condition = (label: string) => form().getByRole('group', { name: `Condition ${label}`, exact: true });
  const overflow = async () => ({
    doc: await page.evaluate<number>('document.documentElement.scrollWidth'),
    screen: await page.evaluate<number>(
      "(() => { const s = document.querySelector('.screen'); return s.scrollWidth - s.clientWidth; })()",
    ),
  });

  it('signs the admin in on /settings/rules and lists the rules in order, first match wins, the fallback last', async () => {
    await signIn(page, `${running.url}/settings/rules`, 'olu@acme.test');
    await page.getByRole('heading', { name: 'Handoff rules' }).waitFor();
    await page.getByText('the first rule whose triggers and conditions match wins').waitFor();
    await expect.poll(ruleIds).toEqual(['enterprise-spanish', 'urgent-flag', 'account-owner', 'Fallback']);
    const first = rules().getByRole('listitem', { name: 'Rule 1: enterprise-spanish' });
    expect(await first.textContent()).toContain(
      'When the customer asks for a person or the AI agent cannot help, if channel is one of web-chat and contact.plan is enterprise and language is es: unassign and wait in queue es-support',
    );
    const fallback = rules().getByRole('listitem', { name: 'Fallback' });
    expect(await fallback.getByRole('button', { name: /Delete|Move/ }).count()).toBe(0);
    await fallback.getByRole('button', { name: 'Edit the fallback' }).waitFor();
    await page.getByRole('table').getByText('v1').waitFor();
    await shot('rules-list');
  });

  it('adds a rule through the form: a trigger, two conditions and a team from the directory', async () => {
    await page.getByRole('button', { name: 'Add rule' }).click();
    const id = page.getByLabel('Rule id');
    await expect
      .poll(() => page.evaluate<string>('document.activeElement?.id ?? ""'))
      .toBe(await id.getAttribute('id'));
    await id.fill('vip-callers');
    await form()
      .getByLabel('Description (optional)')
      .fill('VIP customers who ask for a person go to on-call.');
    await form().getByLabel('the customer asks for a person').check();

    // If: contact.plan is vip …
    await form().getByRole('button', { name: 'Add condition', exact: true }).click();
    await condition('1').getByLabel('Field').selectOption('contact');
    await condition('1').getByLabel('Property name').fill('plan');
    await condition('1').getByLabel('Value').fill('vip');
    // … and the message matches a pattern: one the server cannot compile.
    await form().getByRole('button', { name: 'Add condition', exact: true }).click();
    await condition('1.2').getByLabel('Field').selectOption('message.text');
    await condition('1.2').getByLabel('Operator').selectOption('matches');
    await condition('1.2').getByLabel('Pattern (regular expression)').fill('(human');

    // Then: the on-call team, reassigned.
    await form().getByLabel('Send to a').selectOption('team');
    await form().getByRole('combobox', { name: 'Team', exact: true }).selectOption('oncall');
    await form().getByLabel('Reassign to the destination').check();
    // A message of our own, a follow-up task and changes to the conversation.
    await form().getByRole('combobox', { name: 'Message', exact: true }).selectOption('custom');
    await form().getByLabel('Text in en').fill('Connecting you to our VIP desk, {{contact.name}}.');
    await form().getByRole('button', { name: 'Add task' }).click();
    await form().getByRole('group', { name: 'Task 1' }).getByLabel('Due after the handoff').fill('2h');
    await form().getByRole('checkbox', { name: 'Email', exact: true }).check();
    await form().getByRole('combobox', { name: 'Priority', exact: true }).selectOption('high');
    await form().getByLabel('Add tags (comma-separated)').fill('vip, escalated');

    const item = rules().getByRole('listitem', { name: 'Rule 4: vip-callers' });
    const summary = (await item.locator('.rule-summary').textContent()) ?? '';
    expect(summary).toBe(
      'When the customer asks for a person, if contact.plan is vip and message.text matches the pattern (human: assign to team oncall; ' +
        'notify in the app and email; create a call back task due in 2h; set priority high and tags vip, escalated; tell the customer (en).',
    );
    await page.getByText('Unsaved changes: save the draft to keep them.').waitFor();
  });

  it('moves the new rule to the top with the Up button, from the keyboard', async () => {
    await page.getByRole('button', { name: 'Move vip-callers up' }).click();
    await expect
      .poll(ruleIds)
      .toEqual(['enterprise-spanish', 'urgent-flag', 'vip-callers', 'account-owner', 'Fallback']);
    // The focus stays on the moved rule's button, so Enter moves it again.
    expect(await page.evaluate<string>('document.activeElement?.getAttribute("aria-label") ?? ""')).toBe(
      'Move vip-callers up',
    );
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await expect
      .poll(ruleIds)
      .toEqual(['vip-callers', 'enterprise-spanish', 'urgent-flag', 'account-owner', 'Fallback']);
    expect(await page.getByRole('button', { name: 'Move vip-callers up' }).isDisabled()).toBe(true);
    // At the top, Up is disabled: the focus went to Down.
    expect(await page.evaluate<string>('document.activeElement?.getAttribute("aria-label") ?? ""')).toBe(
      'Move vip-callers down',
    );
  });

  it('duplicates and deletes a rule only after a confirm step', async () => {
    await page.getByRole('button', { name: 'Duplicate account-owner' }).click();
    await expect
      .poll(ruleIds)
      .toEqual([
        'vip-callers',
        'enterprise-spanish',
        'urgent-flag',
        'account-owner',
        'account-owner-copy',
        'Fallback',
      ]);
    await page.getByRole('button', { name: 'Delete account-owner-copy' }).click();
    const confirm = page.getByRole('group', { name: 'Delete account-owner-copy?' });
    await confirm.waitFor();
    // The confirm step takes the focus on its safe choice; Escape closes it and returns the focus.
    const focused = () =>
      page.evaluate<string>(
        'document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.textContent ?? ""',
      );
    expect(await focused()).toBe('Keep it');
    await page.keyboard.press('Escape');
    await expect.poll(() => confirm.count()).toBe(0);
    expect(await focused()).toBe('Delete account-owner-copy');
    expect(await ruleIds()).toContain('account-owner-copy');
    await page.keyboard.press('Enter');
    await confirm.getByRole('button', { name: 'Delete account-owner-copy' }).click();
    await expect
      .poll(ruleIds)
      .toEqual(['vip-callers', 'enterprise-spanish', 'urgent-flag', 'account-owner', 'Fallback']);
    expect(await focused()).toBe('Add rule');
    if (!(await form().isVisible())) await page.getByRole('button', { name: 'Edit vip-callers' }).click();
  });

  it('saves the draft: the invalid pattern is refused and shown next to its field', async () => {
    await page.getByRole('button', { name: 'Save draft' }).first().click();
    const problems = page.getByRole('list', { name: 'Problems' });
    await problems.waitFor();
    expect(await problems.textContent()).toContain('rules[0].if.all[1].message.text.matches');
    const pattern = condition('1.2').getByLabel('Pattern (regular expression)');
    expect(await pattern.getAttribute('aria-invalid')).toBe('true');
    const inline = condition('1.2').locator('.field-problems');
    expect(await inline.textContent()).toContain('invalid regular expression');
    expect(await pattern.getAttribute('aria-describedby')).toBe(await inline.getAttribute('id'));
    await page.getByRole('alert').filter({ hasText: 'Not saved' }).waitFor();
    // Nothing was saved: the server's draft is still the active rules.
    const draft = await running.api<{ changed: boolean }>('GET', '/api/ruleset/draft');
    expect(draft.data.changed).toBe(false);
    await pattern.scrollIntoViewIfNeeded();
    await shot('rules-editor');
    await form().getByRole('group', { name: 'Task 1' }).scrollIntoViewIfNeeded();
    await shot('rules-editor-then');
    const at1280 = await overflow();
    expect(at1280.doc).toBeLessThanOrEqual(1280);
    expect(at1280.screen).toBeLessThanOrEqual(0);
  });

  it('fits a phone: the open form at 390 px has no horizontal overflow', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await condition('1').scrollIntoViewIfNeeded();
      await shot('rules-editor-390');
      const at390 = await overflow();
      expect(at390.doc).toBeLessThanOrEqual(390);
      expect(at390.screen).toBeLessThanOrEqual(0);
      await page
        .getByRole('listitem', { name: 'Rule 1: vip-callers' })
        .locator('.rule-head')
        .scrollIntoViewIfNeeded();
      await shot('rules-editor-390-head');
      await form().getByRole('group', { name: 'Task 1' }).scrollIntoViewIfNeeded();
      await shot('rules-editor-390-then');
      await page.getByRole('table').scrollIntoViewIfNeeded();
      await shot('rules-editor-390-versions');
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('fixes the pattern, saves the draft and publishes it with a summary; the history refreshes', async () => {
    await condition('1.2').getByLabel('Pattern (regular expression)').fill('human|person|agent');
    await page.getByRole('button', { name: 'Save draft' }).first().click();
    await page.getByText('Draft saved. Nothing routes differently until it is published').waitFor();
    expect(await page.getByRole('list', { name: 'Problems' }).count()).toBe(0);
    await page.getByText('Saved draft, different from the active version 1').waitFor();

    const panel = page.getByRole('group', { name: 'Unpublished draft' });
    await panel.waitFor();
    expect(await panel.getByRole('button', { name: 'Publish draft' }).isDisabled()).toBe(true);
    await panel.getByLabel('Publish summary (required)').fill('VIP callers go to on-call first');
    await panel.getByRole('button', { name: 'Publish draft' }).click();
    await page.getByText('The draft was published as version 2.').waitFor();
    await page.getByRole('table').getByText('VIP callers go to on-call first').waitFor();
    await page.getByText('No draft changes: these are the rules of the active version 2.').waitFor();
    expect(await ruleIds()).toEqual([
      'vip-callers',
      'enterprise-spanish',
      'urgent-flag',
      'account-owner',
      'Fallback',
    ]);
  });

  it('the API has the new version with the rule first, and the simulator routes a VIP by it', async () => {
    const active = (await running.api<ActiveRuleset>('GET', '/api/ruleset')).data;
    expect(active.version).toBe(2);
    expect(active.summary).toBe('VIP callers go to on-call first');
    expect(active.ruleset.rules.map((r) => r.id)).toEqual([
      'vip-callers',
      'enterprise-spanish',
      'urgent-flag',
      'account-owner',
    ]);
    expect(active.ruleset.rules[0]).toMatchObject({
      id: 'vip-callers',
      when: ['customer_requested_human'],
      if: { all: [{ 'contact.plan': { eq: 'vip' } }, { 'message.text': { matches: 'human|person|agent' } }] },
      then: {
        destination: { team: 'oncall' },
        assignment: 'reassign',
        message: { en: 'Connecting you to our VIP desk, {{contact.name}}.' },
        notify: ['in_app', 'email'],
        tasks: [{ type: 'callback', assignee: 'owner', due: '2h' }],
        set: { priority: 'high', tags: ['vip', 'escalated'] },
      },
    });

    const scenario = (plan: string) => ({
      channel: 'web-chat',
      contact: { name: 'Vic', language: 'en', properties: { plan } },
      messages: ['I want to talk to a human'],
      ruleset: 'active',
    });
    const vip = await running.api<Simulation>('POST', '/api/simulate', scenario('vip'));
    expect(vip.status).toBe(200);
    expect(vip.data.trace).toMatchObject({
      trigger: 'customer_requested_human',
      rule: 'vip-callers',
      destination: { team: 'oncall' },
      priority: 'high',
      customerMessages: [{ language: 'en', body: 'Connecting you to our VIP desk, Vic.' }],
    });
    const other = await running.api<Simulation>('POST', '/api/simulate', scenario('free'));
    expect(other.data.trace?.rule).not.toBe('vip-callers');
    expect(pageErrors).toEqual([]);
  });

  it('discards a draft after a confirm step: the rules go back to the active version', async () => {
    await page.getByRole('button', { name: 'Move vip-callers down' }).click();
    await page.getByRole('button', { name: 'Save draft' }).first().click();
    await page.getByText('Saved draft, different from the active version 2').waitFor();
    await page.getByRole('button', { name: 'Discard the draft…' }).click();
    await page
      .getByRole('group', { name: 'Discard the draft?' })
      .getByRole('button', { name: 'Discard the draft' })
      .click();
    await page.getByText('The draft was discarded: the rules are those of the active version 2.').waitFor();
    expect(await ruleIds()).toEqual([
      'vip-callers',
      'enterprise-spanish',
      'urgent-flag',
      'account-owner',
      'Fallback',
    ]);
    expect((await running.api<{ changed: boolean }>('GET', '/api/ruleset/draft')).data.changed).toBe(false);
    expect(pageErrors).toEqual([]);
  });

  it('edits the condition tree: negate, a nested any group, and undo of the unsaved changes', async () => {
    await page.getByRole('button', { name: 'Edit urgent-flag' }).click();
    const urgent = page.getByRole('group', { name: 'Edit rule urgent-flag' });
    const summary = () =>
      rules()
        .getByRole('listitem', { name: /urgent-flag$/ })
        .locator('.rule-summary')
        .textContent();
    await urgent.getByRole('button', { name: 'Negate condition 1' }).click();
    await expect.poll(summary).toContain('if not (priority is urgent)');
    await urgent.getByRole('button', { name: 'Stop negating condition 1' }).click();
    await urgent.getByRole('button', { name: 'Add condition', exact: true }).click();
    await urgent.getByRole('button', { name: 'Add group to 1' }).click();
    const group = urgent.getByRole('group', { name: 'Condition 1.3', exact: true });
    await group
      .getByRole('group', { name: 'Condition 1.3.1', exact: true })
      .getByLabel('Field')
      .selectOption('tags');
    await group
      .getByRole('group', { name: 'Condition 1.3.1', exact: true })
      .getByLabel('Operator')
      .selectOption('contains');
    await group.getByRole('group', { name: 'Condition 1.3.1', exact: true }).getByLabel('Value').fill('vip');
    await expect
      .poll(summary)
      .toContain('if priority is urgent and priority is urgent and tags contains vip:');
    await group.getByRole('button', { name: 'Add condition to 1.3' }).click();
    await group.getByLabel('Combine', { exact: false }).first().selectOption('any');
    await expect.poll(summary).toContain('and (tags contains vip or priority is urgent):');
    await urgent.getByRole('button', { name: 'Remove condition 1.2' }).click();
    await expect
      .poll(summary)
      .toContain('if priority is urgent and (tags contains vip or priority is urgent):');
    await page.getByRole('button', { name: 'Undo the unsaved changes' }).click();
    await expect.poll(summary).toContain('if priority is urgent:');
    await page.getByText('No draft changes: these are the rules of the active version 2.').waitFor();
    expect(pageErrors).toEqual([]);
  });

  it("edits the fallback's destination and saves it as the draft", async () => {
    await page.getByRole('button', { name: 'Edit the fallback' }).click();
    const fallback = page.getByRole('group', { name: 'Edit the fallback' });
    await fallback.getByRole('combobox', { name: 'Queue', exact: true }).selectOption('es-support');
    await page.getByRole('button', { name: 'Save draft' }).first().click();
    await page.getByText('Saved draft, different from the active version 2').waitFor();
    const draft = (
      await running.api<{ ruleset: { fallback: { destination: unknown } } }>('GET', '/api/ruleset/draft')
    ).data;
    expect(draft.ruleset.fallback.destination).toEqual({ queue: 'es-support' });
    expect(
      await rules().getByRole('listitem', { name: 'Fallback' }).locator('.rule-summary').textContent(),
    ).toContain('wait in queue es-support');
    expect(pageErrors).toEqual([]);
  });
  it('restores an older version and keeps the saved draft only when asked; otherwise the editor shows the restored rules, no warning', async () => {
    // The draft saved above (fallback to es-support) differs from the active version 2.
    const draftGroup = page.getByRole('group', { name: 'Unpublished draft' });
    await draftGroup.waitFor();

    // Kept on purpose: the draft is still there after restoring version 1 (as version 3).
    await page.getByRole('button', { name: 'Restore version 1' }).click();
    await page.getByLabel('Keep my saved draft (otherwise the draft starts again from the restored rules)').check();
    await page.getByRole('button', { name: 'Confirm restore of version 1' }).click();
    await page.getByText('Version 1 was restored as the new version 3. Your saved draft was kept.').waitFor();
    await draftGroup.waitFor();
    expect((await running.api<{ saved: boolean; changed: boolean }>('GET', '/api/ruleset/draft')).data).toMatchObject({ saved: true, changed: true });

    // Not kept: restoring version 2 resets the draft to what is now active, with no red warning.
    await page.getByRole('button', { name: 'Restore version 2' }).click();
    expect(await page.getByLabel('Keep my saved draft (otherwise the draft starts again from the restored rules)').isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Confirm restore of version 2' }).click();
    await page.getByText('Version 2 was restored as the new version 4. The draft now starts from the restored rules.').waitFor();
    await draftGroup.waitFor({ state: 'detached' });
    expect(await page.getByText('A version was published after this draft was saved').count()).toBe(0);
    expect((await running.api<{ saved: boolean; changed: boolean; activeVersion: number }>('GET', '/api/ruleset/draft')).data).toMatchObject({ saved: false, changed: false, activeVersion: 4 });
    await expect.poll(async () => (await rules().getByRole('listitem', { name: 'Fallback' }).locator('.rule-summary').textContent()) ?? '').not.toContain('es-support');
    await shot('rules-restored-draft-reset');
    expect(pageErrors).toEqual([]);
  });
});
