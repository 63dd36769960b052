/**
 * Desktop alerts in real Chromium: María turns them on from the notification centre (the
 * permission is asked from that click), a conversation assigned to her through the API raises
 * exactly one browser notification naming the customer, a dropped and resumed socket does not
 * raise it again, and clicking it opens the conversation. `window.Notification` is a spy
 * installed before the app loads (it records what the app constructs); the context is granted
 * the `notifications` permission as a real browser would be.
 */
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCustomer, artifactsDir, chromiumAvailable, ensureAppBuilt, type RunningBaton, signIn, startBaton, useChromium } from './support.js';

/** Records every `new Notification(title, {body, tag})`; the permission starts unasked. */
const NOTIFICATION_SPY = `(() => {
  const created = [];
  const asked = [];
  let permission = 'default';
  class SpyNotification {
    constructor(title, options) {
      this.title = title;
      this.body = options && options.body;
      this.tag = options && options.tag;
      this.onclick = null;
      this.closed = false;
      created.push(this);
    }
    close() { this.closed = true; }
    static get permission() { return permission; }
    static async requestPermission() { asked.push(Date.now()); permission = 'granted'; return permission; }
  }
  Object.defineProperty(window, 'Notification', { value: SpyNotification, configurable: true, writable: true });
  window.__notifications = created;
  window.__permissionAsked = asked;
})();`;

/**
 * For the barriers: every stored frame the page's sockets deliver, recorded in a task queued
 * behind the app's own handler (which applies a message's frames in a microtask of the same
 * task), so a frame here has been applied and handed to the desktop alerts; and the conversation
 * reads in flight (an alert reads its conversation before it is shown), settled once the body
 * has been read.
 */
const FRAME_BARRIER = `(() => {
  const handled = [];
  let reads = 0;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        setTimeout(() => {
          try {
            const frame = JSON.parse(event.data);
            handled.push({ seq: frame.seq, type: frame.type, conversationId: frame.conversationId, data: frame.data });
          } catch {}
        }, 0);
      });
    }
  };
  const nativeFetch = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input.url, location.href);
    const method = (init && init.method) || 'GET';
    const parts = url.pathname.split('/');
    if (method !== 'GET' || parts.length !== 4 || parts[1] !== 'api' || parts[2] !== 'conversations') return nativeFetch(input, init);
    reads++;
    const response = nativeFetch(input, init);
    response.then((r) => r.clone().text()).catch(() => undefined).finally(() => setTimeout(() => reads--, 0));
    return response;
  };
  window.__handledFrames = handled;
  window.__conversationReads = () => reads;
})();`;

interface Recorded {
  title: string;
  body: string;
  tag: string;
}

describe.skipIf(!chromiumAvailable())('desktop alerts on a new assignment, in Chromium', () => {
  const chromium = useChromium();
  let running: RunningBaton;
  let context: BrowserContext;
  let page: Page;
  const pageErrors = chromium.pageErrors;
  let customer: Awaited<ReturnType<typeof aCustomer>>;

  // Strings run in the page (this file is type-checked without the DOM library).
  const recorded = () => page.evaluate<Recorded[]>('window.__notifications.map((n) => ({ title: n.title, body: n.body, tag: n.tag }))');

  /**
   * Barrier: wait until the app has applied a stored frame matching `frame` (and so every frame
   * before it: the stream is in seq order), then until no conversation read an alert could be
   * waiting on is in flight. Whatever alert those frames were going to raise has been raised.
   */
  async function appliedThrough(frame: { type: string; conversationId: string; data?: Record<string, unknown> }): Promise<void> {
    const wanted = JSON.stringify(frame);
    await expect
      .poll(() =>
        page.evaluate<boolean, string>((json) => {
          const want = JSON.parse(json) as { type: string; conversationId: string; data?: Record<string, unknown> };
          const frames = (globalThis as unknown as { __handledFrames: { type: string; conversationId: string; data: Record<string, unknown> }[] }).__handledFrames;
          return frames.some((f) => f.type === want.type && f.conversationId === want.conversationId && Object.entries(want.data ?? {}).every(([k, v]) => f.data?.[k] === v));
        }, wanted),
      )
      .toBe(true);
    await expect.poll(() => page.evaluate<number>('window.__conversationReads()')).toBe(0);
  }

  beforeAll(async () => {
    await ensureAppBuilt();
    running = await startBaton();
    // Nobody is on duty: the customer's handoff waits in its queue until the admin assigns it.
    for (const user of ['sam', 'ana', 'maria', 'olu']) {
      const res = await running.api('PATCH', `/api/users/${user}/status`, { status: 'offline' });
      expect(res.status).toBe(200);
    }
    ({ context, page } = await chromium.newPage({ permissions: ['notifications'], initScript: NOTIFICATION_SPY + FRAME_BARRIER, timeout: 10_000 }));
  }, 120_000);

  afterAll(async () => {
    await running?.close();
  });

  const shot = (name: string, on: Page = page) => on.screenshot({ path: join(artifactsDir(), `app-alerts-${name}.png`), fullPage: false });

  it('turns desktop alerts on from the notification centre, asking the browser from the click', async () => {
    await signIn(page, running.url, 'maria@acme.test');
    await page.getByText('Live', { exact: true }).waitFor();

    await page.getByRole('button', { name: /^Notifications, \d+ unread$/ }).click();
    const panel = page.getByRole('region', { name: 'Notifications' });
    await panel.getByRole('button', { name: 'Turn on desktop alerts' }).click();
    await panel.getByText('Desktop alerts are on', { exact: false }).waitFor();
    expect(await page.evaluate<number>('window.__permissionAsked.length')).toBe(1);
    expect(await panel.getByRole('button', { name: 'Turn off desktop alerts' }).isVisible()).toBe(true);
    await shot('panel');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
  });

  it('shows one notification naming the customer when a conversation is assigned to me', async () => {
    customer = await aCustomer(running, { name: 'Jonas Weber', language: 'en', properties: { plan: 'pro' } });
    expect((await customer.say('My invoice is wrong')).status).toBeLessThan(300);
    expect((await customer.askForHuman()).status).toBeLessThan(300);
    await expect.poll(async () => (await running.api<{ status: string }>('GET', `/api/conversations/${customer.id}`)).data.status).toBe('queued');
    // Queued is no assignment to María: nothing yet.
    expect(await recorded()).toEqual([]);

    const assigned = await running.api('POST', `/api/conversations/${customer.id}/assign`, { user: 'maria' });
    expect(assigned.status).toBe(200);
    await expect.poll(async () => (await recorded()).length).toBe(1);
    const [alert] = await recorded();
    expect(alert?.title).toBe('Assigned to you: Jonas Weber');
    expect(alert?.body).toContain('Website chat');
    expect(alert?.tag).toMatch(new RegExp(`^${customer.id}:\\d+$`));
  });

  it('does not repeat it after the socket drops and the stream resumes', async () => {
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    for (const client of running.baton.app.websocketServer.clients) client.terminate();
    await expect.poll(() => sockets.length).toBeGreaterThan(0);
    await page.getByText('Live', { exact: true }).waitFor();
    expect(sockets.at(-1)).toMatch(/\/api\/realtime\?after=\d+$/);
    // Something new on the stream after the resume, to be sure the replay has been applied.
    expect((await customer.say('Thanks, waiting')).status).toBeLessThan(300);
    await page.getByRole('button', { name: /^Mine/ }).click();
    await page.locator(`[data-conversation-id="${customer.id}"]`).waitFor();
    // Barrier: the app has applied that later message, so the replay before it too.
    await appliedThrough({ type: 'message.created', conversationId: customer.id, data: { body: 'Thanks, waiting' } });
    expect((await recorded()).length).toBe(1);
  });

  it('does not alert for a conversation I claim myself', async () => {
    const other = await aCustomer(running, { name: 'Priya Nair', language: 'en' });
    expect((await other.askForHuman()).status).toBeLessThan(300);
    await page.getByRole('button', { name: /^Unassigned/ }).click();
    await page.locator(`[data-conversation-id="${other.id}"]`).click();
    await page.getByRole('button', { name: 'Claim', exact: true }).click();
    await page.getByRole('button', { name: 'Release' }).waitFor();
    // Barrier: the app has applied the claim's assignment frame (the one that must not alert).
    await appliedThrough({ type: 'conversation.assigned', conversationId: other.id, data: { to: 'maria' } });
    expect((await recorded()).map((n) => n.title)).toEqual(['Assigned to you: Jonas Weber']);
  });

  it('opens the conversation when the notification is clicked', async () => {
    await page.evaluate('window.__notifications[0].onclick()');
    await page.getByRole('heading', { name: 'Jonas Weber' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/conversations/${customer.id}`);
    expect(await page.evaluate<boolean>('window.__notifications[0].closed')).toBe(true);
  });

  it('fits the switch in the notification panel on a 390-pixel phone', async () => {
    const { context: phone, page: small } = await chromium.newPage({
      viewport: { width: 390, height: 844 },
      storageState: await context.storageState(),
      isMobile: true,
      hasTouch: true,
      initScript: NOTIFICATION_SPY,
      timeout: 10_000,
    });
    await small.goto(running.url);
    await small.getByRole('button', { name: /^Notifications, \d+ unread$/ }).click();
    const panel = small.getByRole('region', { name: 'Notifications' });
    const turnOn = panel.getByRole('button', { name: 'Turn on desktop alerts' });
    await turnOn.waitFor();
    const box = await panel.boundingBox();
    expect(box).not.toBeNull();
    if (box !== null) {
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    expect(await small.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(0);
    await shot('phone-panel', small);
    await phone.close();
    expect(pageErrors).toEqual([]);
  });
});
