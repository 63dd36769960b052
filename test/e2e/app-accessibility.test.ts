/**
 * Accessibility of every screen, checked by axe-core in real Chromium (issue 4: "every control
 * has an accessible name; the app is usable with the keyboard; it works at 1280×800 and on a
 * 390-px-wide phone screen"): the sign-in form, the inbox with a conversation open, the
 * simulator, every settings section and the widget demo page, at both sizes, against the WCAG
 * 2.x A and AA rules axe can decide automatically (names, labels, contrast, landmarks, ARIA), and
 * no settings section wider than the screen.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWidget } from '../../web/widget/build.js';
import { aCustomer, artifactsDir, chromiumAvailable, ensureAppBuilt, type RunningBaton, signIn, startBaton, useChromium } from './support.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const SIZES = [
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
] as const;

const SETTINGS = ['rules', 'users', 'teams', 'queues', 'schedules', 'channels', 'knowledge', 'notifications', 'workspace'] as const;

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** The bypassCSP contexts let the test inject axe-core into pages whose CSP forbids inline scripts. */
/** axe-core's WCAG 2.x A/AA verdict on the page as it is now: one line per failing element. */
async function violations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ content: AXE_SOURCE });
  const found = await page.evaluate(async () => {
    const page = globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: unknown[] }> }; document: unknown };
    const result = await page.axe.run(page.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations;
  });
  return (found as Violation[]).flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact ?? '?'}): ${v.help} — ${JSON.stringify(n.target)}`));
}

describe.skipIf(!chromiumAvailable())('accessibility of every screen (axe-core in Chromium)', () => {
  const chromium = useChromium();
  let running: RunningBaton;
  let conversationId: string;

  beforeAll(async () => {
    await Promise.all([ensureAppBuilt(), buildWidget()]);
    running = await startBaton();
    const customer = await aCustomer(running, { name: 'Zoë <b>Bold</b>', language: 'en' });
    await customer.say('Hello, I need help with my invoice');
    await customer.askForHuman();
    conversationId = customer.id;
  }, 120_000);

  afterAll(async () => {
    await running?.close();
  });

  async function signedIn(viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
    const { context, page } = await chromium.newPage({ viewport, bypassCSP: true, timeout: 10_000 });
    await signIn(page, `${running.url}/`, 'olu@acme.test');
    await page.getByRole('navigation', { name: /views/i }).first().waitFor();
    return { context, page };
  }

  for (const size of SIZES) {
    it(`the sign-in form has no violations (${size.name})`, async () => {
      const { context, page } = await chromium.newPage({ viewport: size.viewport, bypassCSP: true });
      await page.goto(`${running.url}/`);
      await page.getByLabel('Email').waitFor();
      expect(await violations(page)).toEqual([]);
      await context.close();
    });

    it(`the inbox and an open conversation have no violations (${size.name})`, async () => {
      const { context, page } = await signedIn(size.viewport);
      expect(await violations(page), 'inbox').toEqual([]);
      await page.goto(`${running.url}/conversations/${conversationId}`);
      await page.getByText('Hello, I need help with my invoice').first().waitFor();
      expect(await violations(page), 'conversation').toEqual([]);
      await page.screenshot({ path: join(artifactsDir(), `a11y-conversation-${size.name}.png`) });
      await context.close();
    });

    it(`the simulator and every settings section have no violations (${size.name})`, async () => {
      const { context, page } = await signedIn(size.viewport);
      const problems: string[] = [];
      await page.goto(`${running.url}/simulator`);
      await page.getByRole('heading', { name: 'Simulator' }).waitFor();
      problems.push(...(await violations(page)).map((v) => `simulator: ${v}`));
      for (const section of SETTINGS) {
        await page.goto(`${running.url}/settings/${section}`);
        await page.getByRole('navigation', { name: 'Settings sections' }).waitFor();
        await page.waitForLoadState('networkidle');
        problems.push(...(await violations(page)).map((v) => `settings/${section}: ${v}`));
        // Nothing wider than the screen: a table or a form that overflows makes the page pan sideways.
        const overflow = await page.evaluate(() => {
          const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
          return root.scrollWidth - root.clientWidth;
        });
        if (overflow > 0) problems.push(`settings/${section}: the page is ${overflow} px wider than the screen`);
      }
      expect(problems).toEqual([]);
      await context.close();
    }, 120_000);

    it(`the widget demo page, with the chat open, has no violations (${size.name})`, async () => {
      const { context, page } = await chromium.newPage({ viewport: size.viewport, bypassCSP: true, timeout: 10_000 });
      await page.goto(`${running.url}/demo`);
      await page.locator('[data-baton-widget]').getByRole('button', { name: 'Open chat' }).click();
      await page.locator('[data-baton-widget]').getByRole('dialog').waitFor();
      expect(await violations(page)).toEqual([]);
      await context.close();
    });
  }
});
