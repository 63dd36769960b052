/**
 * People joining the desk in real Chromium against a real Baton (issue 16 §1): an admin invites a
 * new agent from Settings → Users and copies the link; the agent, in a browser of their own, opens
 * it, is refused a common password, sets a good one and lands in the inbox. An admin deactivates
 * an agent from the same screen and the agent's open session stops at once. On an empty Baton
 * without the demo, the one-time setup screen creates the first admin, and is gone after.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, chromiumAvailable, DEMO_PASSWORD, ensureAppBuilt, type RunningBaton, signIn, startBaton, useChromium } from './support.js';

const GOOD_PASSWORD = 'plum tractor sunrise 42';
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2.x A/AA failures on the page as it is now (as app-accessibility.test.ts checks every other screen). */
async function violations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ content: AXE_SOURCE });
  const found = await page.evaluate(async () => {
    const g = globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: unknown[] }> }; document: unknown };
    const result = await g.axe.run(g.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations;
  });
  return (found as { id: string; nodes: { target: unknown }[] }[]).flatMap((v) => v.nodes.map((n) => `${v.id}: ${JSON.stringify(n.target)}`));
}

describe.skipIf(!chromiumAvailable())('People join the desk in Chromium', () => {
  const chromium = useChromium();
  let running: RunningBaton;

  beforeAll(async () => {
    await ensureAppBuilt();
    running = await startBaton();
  }, 180_000);
  afterAll(async () => {
    await running?.close();
  });

  it('an admin invites, copies the link; the new agent sets a password and sees the inbox', async () => {
    const added = await running.api('POST', '/api/users', { id: 'zoe', name: 'Zoe Park', email: 'zoe@acme.test', role: 'agent' });
    expect(added.status).toBe(201);

    const admin = await chromium.newPage({ timeout: 15_000, bypassCSP: true });
    await admin.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: running.url });
    await signIn(admin.page, `${running.url}/settings/users`, 'olu@acme.test');
    const zoe = admin.page.getByRole('group', { name: 'Sign-in for Zoe Park' });
    await zoe.getByText('No password yet: invite them').waitFor();
    await zoe.getByRole('button', { name: 'Invite' }).click();
    const linkField = zoe.getByLabel('Invitation link for Zoe Park');
    await linkField.waitFor();
    await zoe.getByRole('button', { name: 'Copy link' }).click();
    await zoe.getByRole('button', { name: 'Copied' }).waitFor();
    const link = await admin.page.evaluate<string>('navigator.clipboard.readText()');
    expect(link).toBe(await linkField.inputValue());
    expect(link).toMatch(new RegExp(`^${running.url}/invite#bi_`));
    await zoe.getByText(/^Invited: the link works until/).waitFor();
    expect(await violations(admin.page)).toEqual([]);
    await admin.page.screenshot({ path: join(artifactsDir(), 'app-people-invite.png') });

    // Zoe, in a browser of her own.
    const invited = await chromium.newPage({ timeout: 15_000, bypassCSP: true });
    await invited.page.goto(link);
    await invited.page.getByRole('heading', { name: 'Choose your password' }).waitFor();
    expect(await violations(invited.page)).toEqual([]);
    await invited.page.getByLabel('Password', { exact: true }).fill('password123');
    await invited.page.getByLabel('Password again').fill('password123');
    await invited.page.getByRole('button', { name: 'Set password and sign in' }).click();
    await invited.page.getByText('This password is on a list of commonly used passwords; choose another.').waitFor();
    await invited.page.getByLabel('Password', { exact: true }).fill(GOOD_PASSWORD);
    await invited.page.getByLabel('Password again').fill(GOOD_PASSWORD);
    await invited.page.getByRole('button', { name: 'Set password and sign in' }).click();
    await invited.page.getByLabel('Your availability').waitFor();
    expect(new URL(invited.page.url()).pathname).toBe('/');
    await invited.page.screenshot({ path: join(artifactsDir(), 'app-people-invited-inbox.png') });

    // The same link a second time: a sentence, not a sign-in.
    const again = await chromium.newPage({ timeout: 15_000 });
    await again.page.goto(link);
    await again.page.getByLabel('Password', { exact: true }).fill('another good passphrase');
    await again.page.getByLabel('Password again').fill('another good passphrase');
    await again.page.getByRole('button', { name: 'Set password and sign in' }).click();
    await again.page.getByRole('alert').getByText(/This invitation link has already been used/).waitFor();

    await admin.page.reload();
    await admin.page.getByRole('group', { name: 'Sign-in for Zoe Park' }).getByText(/^Active, last signed in/).waitFor();
    await Promise.all([admin.context.close(), invited.context.close(), again.context.close()]);
  }, 90_000);

  it('an admin deactivates an agent from the users screen: the agent is signed out at once', async () => {
    const agent = await chromium.newPage({ timeout: 15_000 });
    await signIn(agent.page, running.url, 'maria@acme.test');
    await agent.page.getByLabel('Your availability').waitFor();
    const token = await running.tokenFor('maria');

    const admin = await chromium.newPage({ timeout: 15_000 });
    await signIn(admin.page, `${running.url}/settings/users`, 'olu@acme.test');
    const maria = admin.page.getByRole('group', { name: 'Sign-in for María López' });
    await maria.getByRole('button', { name: 'Deactivate' }).click();
    await maria.getByRole('button', { name: 'Yes, deactivate María López' }).click();
    await maria.getByRole('status').getByText(/^María López is deactivated\./).waitFor();
    await maria.getByText(/^Deactivated on/).waitFor();
    await admin.page.screenshot({ path: join(artifactsDir(), 'app-people-deactivated.png') });

    expect((await running.api('GET', '/api/me', undefined, token)).status).toBe(401);
    // Without a reload: the server closes her live stream (re-checked every 5 s) and the app signs out.
    await agent.page.getByRole('heading', { name: 'Sign in to your inbox' }).waitFor({ timeout: 12_000 });
    await agent.page.getByLabel('Email').fill('maria@acme.test');
    await agent.page.getByLabel('Password').fill(DEMO_PASSWORD);
    await agent.page.getByRole('button', { name: 'Sign in' }).click();
    await agent.page.getByRole('alert').getByText('This account has been deactivated; ask an admin to reactivate it.').waitFor();

    await maria.getByRole('button', { name: 'Reactivate' }).click();
    await maria.getByText(/^Active/).waitFor();
    await Promise.all([admin.context.close(), agent.context.close()]);
  }, 90_000);
});

describe.skipIf(!chromiumAvailable())('First-run setup in Chromium', () => {
  const chromium = useChromium();
  let empty: RunningBaton;

  beforeAll(async () => {
    await ensureAppBuilt();
    empty = await startBaton({ env: { BATON_DEMO: '0' } });
  }, 180_000);
  afterAll(async () => {
    await empty?.close();
  });

  it('an empty Baton without the demo shows the setup screen once; the first admin lands in the inbox', async () => {
    const first = await chromium.newPage({ timeout: 15_000, bypassCSP: true });
    await first.page.goto(empty.url);
    await first.page.getByRole('heading', { name: 'Set up Baton' }).waitFor();
    expect(await violations(first.page)).toEqual([]);
    await first.page.getByLabel('Your name').fill('Iris Admin');
    await first.page.getByLabel('Email').fill('iris@example.test');
    await first.page.getByLabel('Password', { exact: true }).fill(GOOD_PASSWORD);
    await first.page.getByLabel('Password again').fill(GOOD_PASSWORD);
    await first.page.screenshot({ path: join(artifactsDir(), 'app-people-setup.png') });
    await first.page.getByRole('button', { name: 'Create admin account' }).click();
    await first.page.getByLabel('Your availability').waitFor();

    const users = await empty.api<{ items: { id: string; role: string }[] }>('GET', '/api/users');
    expect(users.data.items).toEqual([expect.objectContaining({ id: 'iris', role: 'admin' })]);
    expect((await empty.api('GET', '/api/setup', undefined, '')).data).toEqual({ needed: false });

    const later = await chromium.newPage({ timeout: 15_000 });
    await later.page.goto(empty.url);
    await later.page.getByRole('heading', { name: 'Sign in to your inbox' }).waitFor();
    expect(await later.page.getByRole('heading', { name: 'Set up Baton' }).count()).toBe(0);
    await Promise.all([first.context.close(), later.context.close()]);
  }, 90_000);
});

describe.skipIf(!chromiumAvailable())('Your account in Chromium', () => {
  const chromium = useChromium();
  let running: RunningBaton;

  beforeAll(async () => {
    await ensureAppBuilt();
    running = await startBaton();
  }, 180_000);
  afterAll(async () => {
    await running?.close();
  });

  it('an agent changes their own password: a wrong current one is refused in a sentence, then the new one signs in', async () => {
    const { page, context } = await chromium.newPage({ timeout: 15_000, bypassCSP: true });
    await signIn(page, running.url, 'sam@acme.test');
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { name: 'Change your password' }).waitFor();
    expect(await violations(page)).toEqual([]);
    await page.getByLabel('Current password').fill('not my password');
    await page.getByLabel('New password', { exact: true }).fill(GOOD_PASSWORD);
    await page.getByLabel('New password again').fill(GOOD_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('alert').getByText('Your current password is not right; nothing was changed.').waitFor();
    await page.getByLabel('Current password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').getByText('Your password is changed.', { exact: false }).waitFor();
    expect((await running.api('POST', '/api/auth/login', { email: 'sam@acme.test', password: GOOD_PASSWORD }, '')).status).toBe(200);
    expect((await running.api('POST', '/api/auth/login', { email: 'sam@acme.test', password: DEMO_PASSWORD }, '')).status).toBe(401);
    await context.close();
  }, 60_000);
});
