/**
 * The directory settings in real Chromium against a real Baton (issue 4): an admin adds a user
 * with skills and capacity, edits a queue, adds a schedule with an overnight interval and a
 * holiday, copies the website chat's widget snippet, adds a knowledge article and edits the
 * notification targets; a server problem shows at its field, a delete still referred to lists
 * the referring paths; screenshots at 1280×800 and 390 px wide.
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

interface Item {
  id: string;
  [key: string]: unknown;
}

describe.skipIf(!chromiumAvailable())(
  'Settings: users, teams, queues, schedules, channels, knowledge and notifications in Chromium',
  () => {
    const chromium = useChromium();
    let running: RunningBaton;
    let page: Page;
    const pageErrors = chromium.pageErrors;

    beforeAll(async () => {
      await ensureAppBuilt();
      running = await startBaton();
      const opened = await chromium.newPage({ timeout: 10_000 });
      await opened.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: running.url });
      page = opened.page;
    }, 120_000);

    afterAll(async () => {
      await running?.close();
    });

    const shot = (name: string) =>
      page.screenshot({ path: join(artifactsDir(), `app-dir-${name}.png`), fullPage: false });
    const get = async (section: string, id: string) => running.api<Item>('GET', `/api/${section}/${id}`);
    /** No horizontal overflow of the page or the screen at the current width. */
    const overflow = async () => ({
      doc: await page.evaluate<number>(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      ),
      screen: await page.evaluate<number>(
        "(() => { const s = document.querySelector('.screen'); return s.scrollWidth - s.clientWidth; })()",
      ),
    });
    const goTo = async (slug: string, heading: string) => {
      await page.goto(`${running.url}/settings/${slug}`);
      await page.getByRole('heading', { name: heading, level: 2 }).waitFor();
    };

    it('adds a user with skills, capacity and a schedule; the API has them', async () => {
      await signIn(page, `${running.url}/settings/users`, 'olu@acme.test');
      await page.getByRole('heading', { name: 'Users', level: 2 }).waitFor();
      await page.getByRole('list', { name: 'Users' }).getByText('ana@acme.test').waitFor();

      await page.getByRole('button', { name: 'Add user' }).click();
      const form = page.getByRole('form', { name: 'Add user' });
      await form.getByLabel('Name').fill('Zoe Park');
      await form.getByRole('textbox', { name: /^Email/ }).fill('zoe-at-acme');
      await form.getByRole('textbox', { name: /^Id/ }).fill('zoe');
      await form.getByLabel('Add skill').fill('lang:en');
      await form.getByLabel('Add skill').press('Enter');
      await form.getByLabel('Add skill').fill('product:billing');
      await form.getByRole('button', { name: 'Add', exact: true }).click();
      await form.getByLabel('Chat capacity').fill('2');
      await form.getByLabel('Email capacity').fill('8');
      await form.getByLabel('Schedule').selectOption('office');
      await form.getByRole('button', { name: 'Add user' }).click();

      // The server refuses the email; the problem shows at the field and in the list.
      const problems = form.getByRole('list', { name: 'Problems' });
      await problems.waitFor();
      expect(await problems.textContent()).toContain('email');
      const email = form.getByRole('textbox', { name: /^Email/ });
      expect(await email.getAttribute('aria-invalid')).toBe('true');
      await shot('users-problem');
      expect((await get('users', 'zoe')).status).toBe(404);

      await email.fill('zoe@acme.test');
      await form.getByRole('button', { name: 'Add user' }).click();
      await page.getByRole('status').getByText('Added user zoe').waitFor();
      const zoe = (await get('users', 'zoe')).data;
      expect(zoe).toMatchObject({
        name: 'Zoe Park',
        email: 'zoe@acme.test',
        skills: ['lang:en', 'product:billing'],
        capacity: { chat: 2, email: 8 },
        schedule: 'office',
      });
      await page
        .getByRole('listitem')
        .filter({ hasText: 'zoe@acme.test' })
        .getByText('chat 2 · email 8')
        .waitFor();
      expect(await overflow()).toEqual({ doc: 0, screen: 0 });
      await shot('users');
    });

    it('refuses to delete a user a team still lists, and shows the referring paths', async () => {
      await page.getByRole('button', { name: 'Delete user ana' }).click();
      await page.getByRole('button', { name: 'Yes, delete ana' }).click();
      const referring = page.getByRole('list', { name: 'What refers to user ana' });
      await referring.waitFor();
      const text = (await referring.textContent()) ?? '';
      expect(text).toMatch(/teams\[\d\]\.members\[\d\]/);
      expect((await get('users', 'ana')).status).toBe(200);
      await referring.scrollIntoViewIfNeeded();
      await shot('users-delete-refused');
      expect(pageErrors).toEqual([]);
    });

    it('adds the new user to a team as a member; the API has it', async () => {
      await goTo('teams', 'Teams');
      await page.getByRole('button', { name: 'Edit team support' }).click();
      const form = page.getByRole('form', { name: 'Edit team support' });
      await form.getByRole('group', { name: 'Members' }).getByLabel('Zoe Park (zoe)').check();
      await form.getByLabel('Strategy').selectOption('least_busy');
      await shot('teams-edit');
      await form.getByRole('button', { name: 'Save changes' }).click();
      await page.getByRole('status').getByText('Saved team support').waitFor();
      expect((await get('teams', 'support')).data).toMatchObject({
        members: ['sam', 'ana', 'maria', 'zoe'],
        leads: ['olu'],
        strategy: 'least_busy',
      });
      expect(pageErrors).toEqual([]);
    });

    it('edits a queue: SLA, a required skill and the overflow; the API has them', async () => {
      await goTo('queues', 'Queues');
      await page.getByRole('button', { name: 'Edit queue es-support' }).click();
      const form = page.getByRole('form', { name: 'Edit queue es-support' });
      expect(await form.getByRole('textbox', { name: /^Id/ }).getAttribute('readonly')).not.toBeNull();
      await form.getByLabel('First response within').fill('10m');
      await form.getByLabel('Add required skill').fill('product:billing');
      await form.getByLabel('Add required skill').press('Enter');
      await form.getByLabel('Move waiting conversations after').fill('20m');
      await form.getByLabel('When the schedule is closed').selectOption('route');
      await form.getByRole('group', { name: 'Route to' }).getByLabel('Kind').selectOption('team');
      await form.getByRole('group', { name: 'Route to' }).getByLabel('Team').selectOption('oncall');
      await shot('queues-edit');
      await form.getByRole('button', { name: 'Save changes' }).click();
      await page.getByRole('status').getByText('Saved queue es-support').waitFor();
      const queue = (await get('queues', 'es-support')).data;
      expect(queue).toMatchObject({
        team: 'billing',
        requiredSkills: ['lang:es', 'product:billing'],
        schedule: 'office',
        sla: { firstResponse: '10m' },
        overflow: { after: '20m', to: 'general' },
        outOfHours: { action: 'route', to: { team: 'oncall' } },
      });
      expect(pageErrors).toEqual([]);
    });

    it('adds a schedule with an overnight interval and a holiday; says the interval crosses midnight', async () => {
      await goTo('schedules', 'Schedules');
      await page.getByRole('button', { name: 'Add schedule' }).click();
      const form = page.getByRole('form', { name: 'Add schedule' });
      await form.getByLabel('Name').fill('Night desk');
      await form.getByRole('textbox', { name: /^Id/ }).fill('night');
      await form.getByLabel('Time zone').fill('Mars/Olympus');
      await form.getByRole('button', { name: 'Add an interval on Monday' }).click();
      await form.getByLabel('Opens (Monday interval 1)').fill('22:00');
      await form.getByLabel('Closes (Monday interval 1)').fill('06:00');
      await form.getByText('Crosses midnight: open from 22:00 on Monday until 06:00 on Tuesday.').waitFor();
      await form.getByRole('button', { name: 'Add an interval on Friday' }).click();
      await form.getByRole('button', { name: 'Add an interval on Friday' }).click();
      await form.getByLabel('Opens (Friday interval 2)').fill('18:00');
      await form.getByLabel('Closes (Friday interval 2)').fill('24:00');
      await form.getByRole('button', { name: 'Add holiday' }).click();
      await form.getByLabel('Holiday 1', { exact: true }).fill('2026-12-24');
      await form.getByRole('button', { name: 'Add schedule' }).click();

      // Checked before sending: the time zone is marked at its field and nothing is written.
      await form.getByRole('alert').getByText('Not saved').waitFor();
      expect(await form.getByLabel('Time zone').getAttribute('aria-invalid')).toBe('true');
      expect((await get('schedules', 'night')).status).toBe(404);
      await form.getByLabel('Time zone').fill('Europe/Lisbon');
      await form.getByRole('group', { name: 'Monday' }).scrollIntoViewIfNeeded();
      await shot('schedules-form');
      await form.getByRole('button', { name: 'Add schedule' }).click();
      await page.getByRole('status').getByText('Added schedule night').waitFor();
      expect((await get('schedules', 'night')).data).toEqual({
        id: 'night',
        name: 'Night desk',
        timezone: 'Europe/Lisbon',
        hours: { mon: ['22:00-06:00'], fri: ['09:00-17:00', '18:00-24:00'] },
        holidays: ['2026-12-24'],
      });
      await page
        .getByRole('listitem')
        .filter({ hasText: 'Night desk' })
        .getByText('Mon 22:00–06:00')
        .waitFor();
      expect(pageErrors).toEqual([]);
    });

    it("copies the website chat's widget snippet and says so", async () => {
      await goTo('channels', 'Channels');
      const webChat = page
        .getByRole('listitem')
        .filter({ has: page.getByRole('heading', { name: /web-chat/ }) });
      const expected = `<script src="${running.url}/widget.js" data-channel="web-chat" async></script>`;
      expect(await webChat.getByRole('textbox', { name: /Widget snippet/ }).inputValue()).toBe(expected);
      // Only the chat channel has a snippet.
      expect(await page.getByRole('textbox', { name: /Widget snippet/ }).count()).toBe(1);
      await webChat.getByRole('button', { name: 'Copy the widget snippet of web-chat' }).click();
      await webChat.getByRole('status').getByText('Copied').waitFor();
      expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(expected);
      await shot('channels');
      expect(pageErrors).toEqual([]);
    });

    it('adds a knowledge article; the API has it', async () => {
      await goTo('knowledge', 'Knowledge');
      await page.getByRole('button', { name: 'Add article' }).click();
      const form = page.getByRole('form', { name: 'Add article' });
      await form.getByLabel('Title').fill('How do I export my data?');
      await form.getByRole('textbox', { name: /^Id/ }).fill('export-data');
      await form
        .getByRole('textbox', { name: /^Body/ })
        .fill('Go to Settings → Data and choose "Export". We email you a link to a ZIP file.');
      await form.getByLabel('Add tag').fill('data, export');
      await form.getByLabel('Add tag').press('Enter');
      await form.getByRole('button', { name: 'Add article' }).click();
      await page.getByRole('status').getByText('Added article export-data').waitFor();
      expect((await get('knowledge', 'export-data')).data).toEqual({
        id: 'export-data',
        title: 'How do I export my data?',
        body: 'Go to Settings → Data and choose "Export". We email you a link to a ZIP file.',
        language: 'en',
        tags: ['data', 'export'],
      });

      // A delete nothing refers to goes through after the confirmation.
      await page.getByRole('button', { name: 'Delete article export-data' }).click();
      await page.getByRole('button', { name: 'Yes, delete export-data' }).click();
      await page.getByRole('status').getByText('Deleted article export-data').waitFor();
      expect((await get('knowledge', 'export-data')).status).toBe(404);
      expect(pageErrors).toEqual([]);
    });

    it('fits 390 px wide: forms and lists without horizontal overflow', async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      for (const [slug, heading] of [
        ['users', 'Users'],
        ['teams', 'Teams'],
        ['queues', 'Queues'],
        ['schedules', 'Schedules'],
        ['channels', 'Channels'],
        ['knowledge', 'Knowledge'],
      ] as const) {
        await goTo(slug, heading);
        await page.getByRole('list', { name: heading }).waitFor();
        expect(await overflow(), slug).toEqual({ doc: 0, screen: 0 });
      }
      await goTo('channels', 'Channels');
      await page.getByRole('textbox', { name: /Widget snippet/ }).scrollIntoViewIfNeeded();
      await shot('channels-390');
      await goTo('schedules', 'Schedules');
      await page.getByRole('button', { name: 'Edit schedule night' }).click();
      const form = page.getByRole('form', { name: 'Edit schedule night' });
      expect(await overflow()).toEqual({ doc: 0, screen: 0 });
      await form.getByRole('group', { name: 'Monday' }).scrollIntoViewIfNeeded();
      await shot('schedules-390');
      await goTo('users', 'Users');
      await page.getByRole('button', { name: 'Edit user zoe' }).click();
      await page
        .getByRole('form', { name: 'Edit user zoe' })
        .getByLabel('Add skill')
        .scrollIntoViewIfNeeded();
      expect(await overflow()).toEqual({ doc: 0, screen: 0 });
      await shot('users-390');
      await page.setViewportSize({ width: 1280, height: 800 });
      expect(pageErrors).toEqual([]);
    });

    it('adds a webhook notification target through the workspace document; a missing URL is named at its field', async () => {
      await goTo('notifications', 'Notifications');
      const form = page.getByRole('form', { name: 'Notification targets' });
      await form.getByRole('button', { name: 'Add webhook target' }).click();
      const webhook = form.getByRole('group', { name: 'Webhook 1' });
      await webhook.getByLabel('Secret').fill('${WEBHOOK_SECRET}');
      await webhook.getByLabel('Add event of webhook 1').fill('handoff.completed');
      await webhook.getByLabel('Add event of webhook 1').press('Enter');
      await form.getByRole('button', { name: 'Save notification targets' }).click();
      await form.getByRole('list', { name: 'Problems' }).getByText('notifications.webhooks[0].url').waitFor();
      expect(await webhook.getByRole('textbox', { name: /^URL/ }).getAttribute('aria-invalid')).toBe('true');
      await shot('notifications-problem');

      // This Baton runs without that environment variable: the problem is named at the secret.
      expect(await form.getByRole('list', { name: 'Problems' }).textContent()).toContain(
        'WEBHOOK_SECRET is not set',
      );
      await webhook.getByRole('textbox', { name: /^URL/ }).fill('https://hooks.acme.test/baton');
      await webhook.getByLabel('Secret').fill('whsec_c2VjcmV0LXNpZ25pbmcta2V5');
      await form.getByRole('button', { name: 'Save notification targets' }).click();
      await page.getByRole('status').getByText('Saved the notification targets').waitFor();
      const document = (await running.api<{ notifications: unknown; users: Item[] }>('GET', '/api/config'))
        .data;
      expect(document.notifications).toEqual({
        allowPrivateNetworks: false,
        webhooks: [
          {
            url: 'https://hooks.acme.test/baton',
            secret: 'whsec_c2VjcmV0LXNpZ25pbmcta2V5',
            events: ['handoff.completed'],
          },
        ],
      });
      // The rest of the document is as it was: the user added earlier is still there.
      expect(document.users.map((u) => u.id)).toContain('zoe');

      await page.setViewportSize({ width: 390, height: 844 });
      await webhook.scrollIntoViewIfNeeded();
      expect(await overflow()).toEqual({ doc: 0, screen: 0 });
      await shot('notifications-390');
      await page.setViewportSize({ width: 1280, height: 800 });
      expect(pageErrors).toEqual([]);
    });
  },
);
