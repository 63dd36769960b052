/**
 * An admin changes a rule in Settings and applies it; the simulator then shows the new route
 * (issue 4: "an admin edits a rule, publishes, and the simulator shows the new route"). Real
 * Chromium, real Baton on the demo workspace, one signed-in admin moving between the screens.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, ensureAppBuilt, type RunningBaton, signIn, startBaton, useChromium } from './support.js';

describe.skipIf(!chromiumAvailable())('settings to simulator in Chromium', () => {
  const chromium = useChromium();
  let running: RunningBaton;
  let page: Page;

  beforeAll(async () => {
    await ensureAppBuilt();
    running = await startBaton();
    ({ page } = await chromium.newPage({ timeout: 15_000 }));
  }, 120_000);

  afterAll(async () => {
    await running?.close();
  });

  /** The Spanish enterprise scenario of docs/configuration.md, on a Wednesday morning (the Spanish queue is open). */
  async function simulateSpanishEnterprise(): Promise<{ trace: string; rule: string }> {
    await page.goto(`${running.url}/simulator`);
    await page.getByRole('heading', { name: 'Simulator' }).waitFor();
    await expect.poll(() => page.getByLabel('Channel').locator('option').count()).toBeGreaterThan(1);
    await page.getByLabel('Channel').selectOption('web-chat');
    await page.getByLabel('Language', { exact: true }).fill('es');
    await page.getByLabel('Plan').fill('enterprise');
    await page.getByLabel('Customer message 1').fill('quiero hablar con una persona');
    await page.getByLabel('Ruleset').selectOption('active');
    await page.getByLabel('Date and time (your local time)').fill('2026-11-25T10:30');
    await page.getByRole('button', { name: 'Run simulation' }).click();
    const trace = page.getByRole('region', { name: 'Handoff trace' });
    await trace.waitFor();
    const rule = page.getByRole('list', { name: 'Rules evaluated' }).locator('li', { has: page.locator('code', { hasText: /^enterprise-spanish$/ }) });
    return { trace: (await trace.textContent()) ?? '', rule: (await rule.textContent()) ?? '' };
  }

  it('routes by the rule as applied in Settings, with no reload of the server', async () => {
    await signIn(page, `${running.url}/settings/workspace`, 'olu@acme.test');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();

    const before = await simulateSpanishEnterprise();
    expect(before.rule).toContain('matched');
    expect(before.trace).toContain('es-support');

    // Settings: the rule now sends these customers to the General queue.
    await page.goto(`${running.url}/settings/workspace`);
    const editor = page.getByLabel('Workspace YAML');
    await expect.poll(() => editor.inputValue()).toContain('enterprise-spanish');
    const text = await editor.inputValue();
    const edited = text.replace(/(destination: \{ ?queue: )es-support/, '$1general');
    expect(edited).not.toBe(text);
    await editor.fill(edited);
    await page.getByLabel('Change summary (optional)').fill('Spanish enterprise to General');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(async () => (await page.locator('#settings-outcome').textContent()) ?? '').toContain('published as version 2');

    const after = await simulateSpanishEnterprise();
    expect(after.rule).toContain('matched');
    expect(after.trace).not.toContain('es-support');
    expect(after.trace).toContain('General');
  }, 120_000);
});
