/**
 * Settings in real Chromium against a real Baton (issue 4): the admin sees the whole workspace as
 * YAML, a broken document is reported problem by problem (path and line) and never applied, a
 * fixed one is applied and publishes a ruleset version, and the versions list diffs and restores.
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

interface Doc {
  handoff: { rules: { id: string; description?: string; then: { destination: Record<string, string> } }[] };
}
interface Versions {
  items: { version: number; active: boolean; summary: string | null; author: string | null }[];
}

const NEW_DESCRIPTION = 'Spanish-speaking enterprise chats go to the Spanish queue (edited in Settings).';

describe.skipIf(!chromiumAvailable())('Settings: the workspace as YAML in Chromium', () => {
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
  const editor = () => page.getByLabel('Workspace YAML');
  const firstRule = async () =>
    (await running.api<Doc>('GET', '/api/config')).data.handoff.rules.find(
      (r) => r.id === 'enterprise-spanish',
    )!;

  it('signs the admin in on /settings/workspace and shows the workspace as YAML', async () => {
    await signIn(page, `${running.url}/settings/workspace`, 'olu@acme.test');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await expect.poll(() => editor().inputValue()).toContain('enterprise-spanish');
    expect(await editor().inputValue()).toMatch(/destination: \{ ?queue: es-support ?\}/);
    await page.getByRole('table').getByText('v1').waitFor();
  });

  it('validates a broken document: every problem with its path and line, and Apply changes nothing', async () => {
    const text = await editor().inputValue();
    const broken = text.replace(/(destination: \{ ?queue: )es-support/, '$1nowhere');
    expect(broken).not.toBe(text);
    await editor().fill(broken);
    await page.getByRole('button', { name: 'Validate' }).click();
    const problems = page.getByRole('list', { name: 'Problems' });
    await problems.waitFor();
    const listed = (await problems.textContent()) ?? '';
    expect(listed).toContain('handoff.rules[0]');
    expect(listed).toContain('nowhere');
    expect(listed).toMatch(/line \d+/);

    // Clicking the problem's line puts the caret on that line of the document.
    const goto = problems.getByRole('button', { name: /^Go to line/ }).first();
    const line = Number(/line (\d+)/.exec((await goto.textContent()) ?? '')![1]);
    await goto.click();
    const caretLine = await editor().evaluate((el) => {
      const area = el as unknown as { value: string; selectionStart: number };
      return area.value.slice(0, area.selectionStart).split('\n').length;
    });
    expect(caretLine).toBe(line);
    expect(await page.evaluate<string>('document.activeElement?.id ?? ""')).toBe('workspace-yaml');
    await shot('settings');

    await page.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(async () => (await page.locator('#settings-outcome').textContent()) ?? '')
      .toContain('Not applied');
    expect(await page.getByRole('list', { name: 'Problems' }).textContent()).toContain('handoff.rules[0]');
    expect((await firstRule()).then.destination).toEqual({ queue: 'es-support' });
    expect((await running.api<Versions>('GET', '/api/ruleset/versions')).data.items).toHaveLength(1);
  });

  it('applies a fixed document: the API has the new value and a new ruleset version', async () => {
    const text = await editor().inputValue();
    const fixed = text
      .replace(/(destination: \{ ?queue: )nowhere/, '$1es-support')
      .replace(
        'description: Spanish-speaking enterprise customers on chat go to the Spanish queue.',
        `description: ${NEW_DESCRIPTION}`,
      );
    expect(fixed).toContain(NEW_DESCRIPTION);
    await editor().fill(fixed);
    await page.getByRole('button', { name: 'Validate' }).click();
    await expect
      .poll(async () => (await page.locator('#settings-outcome').textContent()) ?? '')
      .toContain('The document is valid');
    expect(await page.getByRole('list', { name: 'Problems' }).count()).toBe(0);

    await page.getByLabel('Change summary (optional)').fill('Reword the Spanish enterprise rule');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(async () => (await page.locator('#settings-outcome').textContent()) ?? '')
      .toContain('published as version 2');
    expect((await firstRule()).description).toBe(NEW_DESCRIPTION);
    const versions = (await running.api<Versions>('GET', '/api/ruleset/versions')).data.items;
    expect(versions[0]).toMatchObject({
      version: 2,
      active: true,
      summary: 'Reword the Spanish enterprise rule',
    });

    const table = page.getByRole('table');
    await table.getByText('Reword the Spanish enterprise rule').waitFor();
  });

  it('compares an old version with the active one as text, with no horizontal overflow at 1280×800', async () => {
    await page.getByRole('button', { name: 'Compare version 1 with the active version' }).click();
    const diff = page.getByRole('region', { name: 'Ruleset diff' });
    await diff.waitFor();
    const text = (await diff.textContent()) ?? '';
    expect(text).toContain('enterprise-spanish');
    expect(text).toContain('description');
    const overflow = {
      doc: await page.evaluate<number>('document.documentElement.scrollWidth'),
      screen: await page.evaluate<number>(
        "(() => { const s = document.querySelector('.screen'); return s.scrollWidth - s.clientWidth; })()",
      ),
    };
    expect(overflow.doc).toBeLessThanOrEqual(1280);
    expect(overflow.screen).toBeLessThanOrEqual(0);
    await diff.scrollIntoViewIfNeeded();
    await shot('settings-versions');
  });

  it('restores version 1 after a confirm step, as a new version 3', async () => {
    await page.getByRole('button', { name: 'Restore version 1' }).click();
    await page.getByRole('heading', { name: 'Restore version 1?' }).waitFor();
    await page.getByLabel('Restore summary (optional)').fill('Back to the original wording');
    await page.getByRole('button', { name: 'Confirm restore of version 1' }).click();
    await page.getByText('Version 1 was restored as the new version 3.').waitFor();
    // The editor held no edits, so it shows the restored rules.
    await expect.poll(() => editor().inputValue()).not.toContain(NEW_DESCRIPTION);
    const versions = (await running.api<Versions>('GET', '/api/ruleset/versions')).data.items;
    expect(versions[0]).toMatchObject({ version: 3, active: true });
    const active = (await running.api<{ ruleset: Doc['handoff'] }>('GET', '/api/ruleset')).data.ruleset;
    expect(active.rules.find((r) => r.id === 'enterprise-spanish')!.description).not.toBe(NEW_DESCRIPTION);
    expect(pageErrors).toEqual([]);
  });

  it('publishes a saved draft with a summary', async () => {
    const active = (await running.api<{ ruleset: Doc['handoff'] }>('GET', '/api/ruleset')).data.ruleset;
    const draft = {
      ...active,
      rules: active.rules.map((r) =>
        r.id === 'urgent-flag' ? { ...r, description: 'Urgent goes to on-call (draft).' } : r,
      ),
    };
    const saved = await running.api('PUT', '/api/ruleset/draft', draft);
    expect(saved.status).toBe(200);
    await page.reload();
    const panel = page.getByRole('group', { name: 'Unpublished draft' });
    await panel.waitFor();
    expect(await panel.getByRole('button', { name: 'Publish draft' }).isDisabled()).toBe(true);
    // An edit in the workspace document is kept when the rules change under it, with a notice.
    await editor().fill(`${await editor().inputValue()}\n# an edit in progress\n`);
    await panel.getByLabel('Publish summary (required)').fill('Clarify the urgent rule');
    await panel.scrollIntoViewIfNeeded();
    await shot('settings-draft');
    await panel.getByRole('button', { name: 'Publish draft' }).click();
    await page.getByText('The draft was published as version 4.').waitFor();
    const versions = (await running.api<Versions>('GET', '/api/ruleset/versions')).data.items;
    expect(versions[0]).toMatchObject({ version: 4, active: true, summary: 'Clarify the urgent rule' });
    await expect.poll(() => panel.count()).toBe(0);
    await page.getByText('The rules changed after this document was loaded.', { exact: false }).waitFor();
    expect(await editor().inputValue()).toContain('# an edit in progress');
    expect(pageErrors).toEqual([]);
  });

  it('lists warnings apart from problems: a valid document with a warning', async () => {
    await page.getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => editor().inputValue()).not.toContain('# an edit in progress');
    const text = await editor().inputValue();
    const warned = text.replace('intent: {eq: billing_dispute}', 'intent: {eq: billing_disputes}');
    expect(warned).not.toBe(text);
    await editor().fill(warned);
    await page.getByRole('button', { name: 'Validate' }).click();
    const warnings = page.getByRole('list', { name: 'Warnings' });
    await warnings.waitFor();
    expect(await warnings.textContent()).toContain('intent "billing_disputes" is not defined');
    expect(await page.getByRole('list', { name: 'Problems' }).count()).toBe(0);
    expect(await page.locator('#settings-outcome').textContent()).toContain('The document is valid');
    expect(pageErrors).toEqual([]);
  });
});
