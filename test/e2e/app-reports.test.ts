/**
 * The reports screen (issue 18), in real Chromium against a listening Baton with a seeded month:
 * 280 conversations over the 28 days before today through the API — handoffs answered by whoever holds them,
 * some left unanswered until the SLA breaches, questions the AI agent answered alone, ratings
 * from the customers. The figures on the screen are the API's for the same range, and the
 * screen is photographed at 1280×800 and at 390 px wide.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HandoffReport } from '../../src/contract/reports-api.js';
import { chromiumAvailable, ensureAppBuilt, type RunningBaton, screenshot, signIn, startBaton, useChromium } from './support.js';

const DAY = 86_400_000;
/** Days seeded, ending yesterday: all of them inside "Last 30 days" whatever the hour and zone. */
const DAYS = 28;
const PER_DAY = 10;
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 30_000, interval: 200 });

/** Until `check` holds (expect.poll is for tests, not hooks): every 200 ms, at most 30 s. */
async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`waited 30 s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.skipIf(!chromiumAvailable())('the reports screen', () => {
  const chromium = useChromium();
  let running: RunningBaton;
  // The server's clock runs DAYS days behind while the month is seeded, then catches up.
  let offset = -DAYS * DAY;
  const seeded = { conversations: 0, handoffs: 0, breached: 0, rated: 0 };

  beforeAll(async () => {
    await ensureAppBuilt();
    running = await startBaton({ clock: { now: () => Date.now() + offset } });
    const tokens = new Map<string, string>();
    const as = async (user: string) => tokens.get(user) ?? tokens.set(user, await running.tokenFor(user)).get(user)!;
    const ok = <T>(response: { status: number; data: T }, what: string): T => {
      expect(response.status, `${what}: ${JSON.stringify(response.data)}`).toBeLessThan(300);
      return response.data;
    };
    let unanswered: string[] = [];

    for (let day = 0; day < DAYS; day++) {
      offset = -(DAYS - day) * DAY;
      // Yesterday's unanswered handoffs breached overnight (the sweep runs every second): once
      // each one's breach is recorded, they are resolved so their agents have room again.
      for (const id of unanswered) {
        await until(`the breach of ${id}`, async () => ok(await running.api<Array<{ type: string }>>('GET', `/api/conversations/${id}/events`), 'events').some((e) => e.type === 'sla.breached'));
        ok(await running.api('POST', `/api/conversations/${id}/resolve`, {}), 'resolve breached');
      }
      unanswered = [];
      for (let n = 0; n < PER_DAY; n++) {
        const aiOnly = n % 5 === 4;
        const session = ok(await running.api<{ token: string }>('POST', '/api/widget/sessions', { channel: 'web-chat', contact: { name: `Customer ${day}-${n}`, language: 'en' } }, ''), 'session');
        const customer = session.token;
        const started = ok(
          await running.api<{ conversation: { id: string } }>('POST', '/api/widget/conversations', { message: aiOnly ? 'How do I reset my password?' : 'I want to talk to a person' }, customer),
          'start',
        );
        const id = started.conversation.id;
        seeded.conversations++;
        if (aiOnly) {
          ok(await running.api('POST', `/api/conversations/${id}/resolve`, {}), 'resolve AI-only');
        } else {
          seeded.handoffs++;
          if (n === 3) {
            unanswered.push(id);
            seeded.breached++;
            continue;
          }
          let owner = ok(await running.api<{ owner: string | null }>('GET', `/api/conversations/${id}`), 'read').owner;
          if (owner === null) {
            ok(await running.api('POST', `/api/conversations/${id}/claim`, {}, await as('olu')), 'claim');
            owner = 'olu';
          }
          offset += 60_000 * (1 + ((day + n) % 7));
          ok(await running.api('POST', `/api/conversations/${id}/messages`, { body: 'Hello, I am on it.' }, await as(owner)), 'reply');
          ok(await running.api('POST', `/api/conversations/${id}/resolve`, {}, await as(owner)), 'resolve');
        }
        if (n % 2 === 0 || aiOnly) {
          ok(await running.api('POST', `/api/widget/conversations/${id}/rating`, { score: 1 + ((day + n) % 5) }, customer), 'rate');
          seeded.rated++;
        }
      }
    }
    // The last day's unanswered ones breach too: a day later is now.
    offset = 0;
    for (const id of unanswered) {
      await until(`the breach of ${id}`, async () => ok(await running.api<Array<{ type: string }>>('GET', `/api/conversations/${id}/events`), 'events').some((e) => e.type === 'sla.breached'));
    }
  }, 600_000);

  afterAll(async () => {
    await running?.close();
  });

  async function report(query: string): Promise<HandoffReport> {
    const answer = await running.api<HandoffReport>('GET', `/api/reports/handoffs?${query}`);
    expect(answer.status, JSON.stringify(answer.data)).toBe(200);
    return answer.data;
  }

  /** The figures of the screen's table row for a group, as the screen writes them. */
  const METRICS = ['conversations', 'aiResolved', 'handoffs', 'handoffRate', 'firstHumanResponse', 'queueWait', 'reassignments', 'slaBreaches', 'resolution', 'csatHandedOff', 'csatAiOnly'];
  async function cells(page: Page, group: string): Promise<Record<string, string>> {
    const row = page.locator(`[data-testid="report-table"] tr[data-group="${group}"]`);
    const texts = await Promise.all(METRICS.map((metric) => row.locator(`td[data-metric="${metric}"]`).textContent()));
    return Object.fromEntries(METRICS.map((metric, index) => [metric, texts[index] ?? '']));
  }

  it('shows the API’s figures for the last 30 days, by queue and by day, with the charts and their tables', async () => {
    const { page } = await chromium.newPage({ timeout: 20_000 });
    await signIn(page, `${running.url}/reports`, 'olu@acme.test');
    await page.getByRole('heading', { name: 'Handoff reports' }).waitFor();
    await page.getByRole('button', { name: 'Last 30 days' }).click();
    await page.locator('[data-testid="report-table"]').waitFor();

    const from = await page.getByLabel('From', { exact: true }).inputValue();
    const to = await page.getByLabel('To', { exact: true }).inputValue();
    const byQueue = await report(`from=${from}&to=${to}&groupBy=queue`);
    expect(byQueue.totals.conversations).toBe(seeded.conversations);
    expect(byQueue.totals.handoffs).toBe(seeded.handoffs);
    expect(byQueue.totals.slaBreaches).toBeGreaterThanOrEqual(seeded.breached);
    expect(byQueue.totals.csat.handedOff.count + byQueue.totals.csat.aiOnly.count).toBe(seeded.rated);

    // The tiles and the totals row are the API's totals.
    const tiles = page.locator('[data-testid="report-totals"]');
    await poll(() => tiles.getByText(String(byQueue.totals.conversations), { exact: true }).count()).toBeGreaterThan(0);
    const totals = await cells(page, '(totals)');
    expect(totals).toMatchObject({
      conversations: String(byQueue.totals.conversations),
      handoffs: String(byQueue.totals.handoffs),
      slaBreaches: String(byQueue.totals.slaBreaches),
      reassignments: String(byQueue.totals.reassignments),
      handoffRate: `${Math.round(byQueue.totals.handoffRate * 100)} %`,
    });
    for (const group of byQueue.groups) {
      const row = await cells(page, group.key ?? '(none)');
      expect(row, group.label).toMatchObject({ conversations: String(group.conversations), handoffs: String(group.handoffs), slaBreaches: String(group.slaBreaches) });
    }
    // Four charts, each with its words and its table.
    for (const chart of ['chart-handoffs', 'chart-response', 'chart-breaches', 'chart-groups']) {
      const figure = page.getByTestId(chart);
      await figure.locator('canvas').first().waitFor();
      expect(await figure.locator('figcaption').textContent()).not.toBe('');
    }
    const byDay = await report(`from=${from}&to=${to}&groupBy=day`);
    const handoffsChart = page.getByTestId('chart-handoffs');
    await handoffsChart.getByText('Show as a table').click();
    const days = await handoffsChart.locator('table.report-daily tbody tr th').allTextContents();
    const counts = await handoffsChart.locator('table.report-daily tbody tr td:first-of-type').allTextContents();
    const dailyRows = days.map((day, index) => [day, counts[index]]);
    expect(dailyRows).toHaveLength(30);
    for (const group of byDay.groups) expect(dailyRows).toContainEqual([group.key, String(group.handoffs)]);
    expect(await page.getByTestId('chart-handoffs').locator('figcaption').textContent()).toContain(`${byQueue.totals.handoffs} handoffs in all`);
    await screenshot(page, 'app-reports-1280');

    // By agent: the rows are the API's, and the CSV link asks for the same report.
    await page.getByLabel('Group by').selectOption('agent');
    const byAgent = await report(`from=${from}&to=${to}&groupBy=agent`);
    await poll(() => page.locator('[data-testid="report-table"] caption').textContent()).toBe('Handoffs by agent');
    for (const group of byAgent.groups) {
      await poll(async () => (await cells(page, group.key ?? '(none)')).handoffs).toBe(String(group.handoffs));
    }
    const csv = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    expect(csv).toBe(`/api/reports/handoffs?from=${from}&to=${to}&groupBy=agent&format=csv`);
    // Fetched from the page, with its session cookie, as the link would be.
    const download = await page.evaluate(async (href: string) => {
      const response = await fetch(href);
      return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
    }, csv ?? '');
    expect(download.status).toBe(200);
    expect(download.type).toMatch(/text\/csv/);
    expect(download.text.trim().split(/\r?\n/)).toHaveLength(byAgent.groups.length + 2);
  });

  it('fits a phone: the figures and the table scroll, nothing overflows the page', async () => {
    const { page } = await chromium.newPage({ timeout: 20_000, viewport: { width: 390, height: 844 } });
    await signIn(page, `${running.url}/reports`, 'olu@acme.test');
    await page.getByRole('button', { name: 'Last 30 days' }).click();
    await page.locator('[data-testid="report-table"]').waitFor();
    await page.getByTestId('chart-handoffs').locator('canvas').first().waitFor();
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'app-reports-390');
    await page.screenshot({ path: (await screenshot(page, 'app-reports-390')).replace('.png', '-full.png'), fullPage: true });
  });
});
