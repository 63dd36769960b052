/**
 * The simulator screen in real Chromium against a real Baton (demo workspace): a Spanish
 * enterprise customer on web chat is routed by `enterprise-spanish` to the Spanish queue; a pro
 * customer is not, and the trace says which condition failed; the scenario saves as YAML; a
 * refused scenario shows the server's details inline. Nothing is changed by a simulation.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, chromiumAvailable, E2E_ADMIN_TOKEN, ensureAppBuilt, type RunningBaton, signIn, startBaton, useChromium } from './support.js';

const XSS = '<img src=x onerror=alert(1)>';

describe.skipIf(!chromiumAvailable())('the simulator screen in Chromium', () => {
  const chromium = useChromium();
  let running: RunningBaton;
  let page: Page;
  const dialogs: string[] = [];
  const pageErrors = chromium.pageErrors;

  beforeAll(async () => {
    await ensureAppBuilt();
    running = await startBaton();
    ({ page } = await chromium.newPage({ timeout: 10_000 }));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  }, 120_000);

  afterAll(async () => {
    await running?.close();
  });

  const trace = () => page.getByRole('region', { name: 'Handoff trace' });
  const rule = (id: string) => page.getByRole('list', { name: 'Rules evaluated' }).locator('li', { has: page.locator('code', { hasText: new RegExp(`^${id}$`) }) });

  it('signs in as an admin and opens /simulator', async () => {
    await signIn(page, `${running.url}/simulator`, 'olu@acme.test');
    await page.getByRole('heading', { name: 'Simulator' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/simulator');
    // The channel list comes from GET /api/channels.
    await expect.poll(() => page.getByLabel('Channel').locator('option').count()).toBe(3);
  });

  it('routes a Spanish enterprise customer asking for a person to the Spanish queue', async () => {
    await page.getByLabel('Channel').selectOption('web-chat');
    await page.getByLabel('Language', { exact: true }).fill('es');
    await page.getByLabel('Plan').fill('enterprise');
    await page.getByLabel('Contact name').fill(XSS);
    await page.getByLabel('Customer message 1').fill('quiero hablar con una persona');
    await page.getByLabel('Ruleset').selectOption('active');
    // A Wednesday morning, while the Spanish queue's office schedule is open (sent with an offset).
    await page.getByLabel('Date and time (your local time)').fill('2026-11-25T10:30');
    await page.getByRole('button', { name: 'Run simulation' }).click();

    await trace().waitFor();
    const text = (await trace().textContent()) ?? '';
    expect(text).toContain('customer_requested_human');
    expect(text).toContain('es-support');
    expect(text).toContain('Spanish support');
    expect(text).toMatch(/Queued in Spanish support|Assigned to/);
    // The rule's message, tasks and notifications are in the trace.
    expect(text).toContain('Te paso con un especialista');
    expect(text).toMatch(/callback/);
    expect(text).toMatch(/in-app to/);
    expect(await rule('enterprise-spanish').textContent()).toContain('matched');
    expect(await rule('enterprise-spanish').textContent()).not.toContain('did not match');
    // The customer's words stay text.
    await page.getByRole('list', { name: 'Simulated conversation' }).getByText('quiero hablar con una persona').waitFor();
    expect(await page.locator('.sim-output img').count()).toBe(0);

    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    const screenOverflow = await page.evaluate<number>("(() => { const s = document.querySelector('.screen'); return s.scrollWidth - s.clientWidth; })()");
    expect(screenOverflow).toBeLessThanOrEqual(0);
    expect(text).not.toContain('Out of hours');
    await page.screenshot({ path: join(artifactsDir(), 'app-simulator.png'), fullPage: false });
    await page.mouse.move(860, 500);
    await page.mouse.wheel(0, 2000);
    await expect.poll(() => page.evaluate<number>("document.querySelector('.screen').scrollTop")).toBeGreaterThan(0);
    await page.screenshot({ path: join(artifactsDir(), 'app-simulator-bottom.png'), fullPage: false });
    await page.getByRole('heading', { name: 'Simulator' }).scrollIntoViewIfNeeded();
  });

  it('shows the failed condition when the plan is pro, and changes nothing', async () => {
    await page.getByLabel('Plan').fill('pro');
    await page.getByRole('button', { name: 'Run simulation' }).click();
    await expect.poll(async () => (await rule('enterprise-spanish').textContent()) ?? '').toContain('did not match');
    const failed = (await rule('enterprise-spanish').textContent()) ?? '';
    expect(failed).toMatch(/plan/);
    expect(await rule('enterprise-spanish').getAttribute('class')).toBe('failed');
    expect((await trace().textContent()) ?? '').toContain('General');
    await page.screenshot({ path: join(artifactsDir(), 'app-simulator-pro.png'), fullPage: false });
    const conversations = await running.api<{ items: unknown[] }>('GET', '/api/conversations');
    expect(conversations.data.items).toEqual([]);
  });

  it('takes agent overrides, run from the keyboard', async () => {
    await page.getByRole('button', { name: '+ Override an agent' }).click();
    await page.getByLabel('Override 1: agent').selectOption('sam');
    await page.getByLabel('Override 1: status').selectOption('offline');
    await page.getByRole('button', { name: 'Run simulation' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await trace().textContent()) ?? '').not.toContain('Assigned to Sam Carter');
    const candidates = (await page.getByRole('list', { name: 'Candidates' }).textContent()) ?? '';
    expect(candidates).toMatch(/Sam Carter\s+(?!eligible)/);
    await page.getByRole('button', { name: 'Remove override 1' }).click();
  });

  it('saves the scenario as YAML with the message in it, and a download link', async () => {
    await page.getByRole('button', { name: 'Save as YAML' }).click();
    const yaml = await page.getByLabel('Scenario as YAML').inputValue();
    expect(yaml).toContain('quiero hablar con una persona');
    expect(yaml).toContain('"channel": "web-chat"');
    expect(yaml).toContain('"plan": "pro"');
    expect(yaml).toMatch(/"at": "2026-11-25T\d\d:30:00\.000Z"/);
    const link = page.getByRole('link', { name: 'Download scenario.yaml' });
    expect(await link.getAttribute('download')).toBe('scenario.yaml');
    expect(await link.getAttribute('href')).toMatch(/^blob:/);
    // The saved text is what the API reads: posted back as YAML it runs the same scenario.
    const res = await fetch(`${running.url}/api/simulate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}`, 'content-type': 'application/yaml' },
      body: yaml,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { trace: { rule: string } | null }).trace?.rule).toBe('fallback');
  });

  it('shows a refused scenario with its details inline', async () => {
    await page.getByLabel('Language', { exact: true }).fill('Spanish!');
    await page.getByRole('button', { name: 'Run simulation' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect((await alert.textContent()) ?? '').toMatch(/language/);
    await page.screenshot({ path: join(artifactsDir(), 'app-simulator-refused.png'), fullPage: false });
    await page.getByLabel('Language', { exact: true }).fill('es');
    await page.getByRole('button', { name: 'Run simulation' }).click();
    await trace().waitFor();
  });

  it('offers every published ruleset version and sends the chosen one as a number', async () => {
    const options = await page.getByLabel('Ruleset').locator('option').allTextContents();
    expect(options.slice(0, 2)).toEqual(['Active (version 1)', 'Draft']);
    expect(options.some((o) => o.startsWith('Version 1 (active)'))).toBe(true);
    await page.getByLabel('Ruleset').selectOption('1');
    const sent = page.waitForRequest((request) => request.url().endsWith('/api/simulate') && request.method() === 'POST');
    await page.getByRole('button', { name: 'Run simulation' }).click();
    expect(((await sent).postDataJSON() as { ruleset: unknown }).ruleset).toBe(1);
    await page.getByText('against ruleset version 1').waitFor();
    await page.getByLabel('Ruleset').selectOption('active');
  });

  it('runs with a workflow trigger instead of the messages deciding', async () => {
    await page.getByLabel('Trigger', { exact: true }).selectOption('workflow_flag');
    const sent = page.waitForRequest((request) => request.url().endsWith('/api/simulate') && request.method() === 'POST');
    await page.getByRole('button', { name: 'Run simulation' }).click();
    expect(((await sent).postDataJSON() as { trigger: unknown }).trigger).toBe('workflow_flag');
    await expect.poll(async () => (await trace().textContent()) ?? '').toContain('workflow_flag');
    await page.getByLabel('Trigger', { exact: true }).selectOption('');
  });

  it('checks expectations and shows each one passed or failed', async () => {
    // The pro customer goes to General by the fallback rule: expecting es-support fails.
    await page.getByLabel('Expected trigger').selectOption('customer_requested_human');
    await page.getByLabel('Expected rule').fill('fallback');
    await page.getByLabel('Expected queue').selectOption('es-support');
    await page.getByRole('button', { name: 'Run simulation' }).click();
    const expectations = page.getByRole('region', { name: 'Expectations' });
    await expectations.waitFor();
    await expectations.getByRole('heading', { name: 'Expectations: 1 of 3 failed' }).waitFor();
    const queue = expectations.locator('li', { has: page.locator('code', { hasText: /^queue$/ }) });
    expect(await queue.textContent()).toContain('failed: expected es-support, got general');
    expect(await queue.getAttribute('class')).toBe('failed');
    const ruleRow = expectations.locator('li', { has: page.locator('code', { hasText: /^rule$/ }) });
    expect(await ruleRow.textContent()).toContain('passed');
    await expectations.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifactsDir(), 'app-simulator-expectations.png'), fullPage: false });

    await page.getByLabel('Expected queue').selectOption('general');
    await page.getByLabel('Expected destination').selectOption('queue:general');
    await page.getByRole('button', { name: 'Run simulation' }).click();
    await expectations.getByRole('heading', { name: 'Expectations: all passed' }).waitFor();
    expect(await expectations.locator('li.failed').count()).toBe(0);

    // The saved scenario carries them, as `baton simulate` reads them.
    const yaml = await page.getByLabel('Scenario as YAML').inputValue();
    expect(JSON.parse(yaml.replace(/^#.*\n/, '')) as unknown).toMatchObject({
      expect: { trigger: 'customer_requested_human', rule: 'fallback', queue: 'general', destination: { queue: 'general' } },
    });
  });

  it('fits the form and the expectations on a 390-pixel phone', async () => {
    const { context: phone, page: small } = await chromium.newPage({ viewport: { width: 390, height: 844 }, storageState: await page.context().storageState(), isMobile: true, hasTouch: true, timeout: 10_000 });
    await small.goto(`${running.url}/simulator`);
    await small.getByRole('heading', { name: 'Simulator' }).waitFor();
    await expect.poll(() => small.getByLabel('Ruleset').locator('option').count()).toBeGreaterThan(2);
    await small.getByLabel('Customer message 1').fill('quiero hablar con una persona');
    await small.getByLabel('Expected trigger').selectOption('customer_requested_human');
    await small.getByLabel('Expected queue').selectOption('es-support');
    const noOverflow = () => small.evaluate<number>("(() => { const s = document.querySelector('.screen'); return Math.max(s.scrollWidth - s.clientWidth, document.documentElement.scrollWidth - document.documentElement.clientWidth); })()");
    expect(await noOverflow()).toBeLessThanOrEqual(0);
    await small.getByLabel('Expected trigger').scrollIntoViewIfNeeded();
    await small.screenshot({ path: join(artifactsDir(), 'app-simulator-phone-expect.png'), fullPage: false });
    await small.getByRole('button', { name: 'Run simulation' }).click();
    await small.getByRole('region', { name: 'Expectations' }).waitFor();
    expect(await noOverflow()).toBeLessThanOrEqual(0);
    await small.getByRole('region', { name: 'Expectations' }).scrollIntoViewIfNeeded();
    await small.screenshot({ path: join(artifactsDir(), 'app-simulator-phone-result.png'), fullPage: false });
    await phone.close();
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
