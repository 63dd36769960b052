/**
 * The chat widget in real Chromium against a real Baton (issue 4): one tag on /demo, the AI's
 * answer, "Talk to a person" with the queue position updating live, "<Name> joined" and the
 * agent's reply without a reload, hostile text shown as text, a server restart caught up with
 * nothing lost or doubled, and the CSAT prompt after resolution. Screenshots go to
 * test-artifacts/ for people to look at.
 */
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { createServer, type Server } from 'node:http';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startE2eServer, type E2eServer, useChromium } from './support.js';

const E2E_TIMEOUT = 90_000;
/** How long a live change may take to show (generous: the whole suite shares two cores). */
const POLL_MS = 20_000;
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: POLL_MS, interval: 100 });

// The browser globals the page functions below touch (this program has no DOM lib).
declare const window: object;
declare const localStorage: { getItem(key: string): string | null };
declare const document: { documentElement: { scrollWidth: number } };
declare function getComputedStyle(node: unknown): { color: string; fontSize: string };
interface BubbleNode {
  dataset: Record<string, string | undefined>;
  lastChild: { textContent: string | null } | null;
}

interface Turn {
  conversation: { id: string; status: string; queuePosition: number | null };
}
interface MessageOut {
  id: string;
  seq: number;
  body: string;
  private: boolean;
}

/** One Chromium for the file's three servers. */
const chromium = useChromium();

describe('chat widget (e2e, chromium)', () => {
  let server: E2eServer;
  let context: BrowserContext;
  let page: Page;
  let widget: Locator;
  let sam: string;
  /** The widget customer's conversation. */
  let conversationId = '';
  const dialogs: string[] = [];

  beforeAll(async () => {
    server = await startE2eServer();
    ({ context, page } = await chromium.newPage());
    // The page's clock (flowing as usual) lets a test fire the widget's own timers at once.
    await context.clock.install();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    widget = page.locator('[data-baton-widget]');
    // Nobody available: a handoff waits in the queue, so the customer sees their place in line.
    for (const user of ['olu', 'ana', 'maria', 'sam']) {
      expect((await server.api('PATCH', `/api/users/${user}/status`, { status: 'away' })).status).toBe(200);
    }
    sam = await server.tokenFor('sam');
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
  });

  const bubbles = (kind: string): Locator => widget.locator(`.msg.${kind}[data-id]`);
  const status = (): Locator => widget.getByRole('status');

  /** What the customer is shown, in order, as the server has it (public messages by seq). */
  async function serverTranscript(): Promise<string[]> {
    const all = await server.api<MessageOut[]>('GET', `/api/conversations/${conversationId}/messages`);
    return all.data.filter((m) => !m.private).sort((a, b) => a.seq - b.seq).map((m) => m.body);
  }
  async function widgetTranscript(): Promise<{ ids: string[]; bodies: string[] }> {
    return widget.evaluate((host) => {
      const nodes = [...(host.shadowRoot?.querySelectorAll('.msg[data-id]') ?? [])] as unknown as BubbleNode[];
      return {
        ids: nodes.map((n) => String(n.dataset.id)),
        // The body is the last text node (the author label is a span before it).
        bodies: nodes.map((n) => String(n.lastChild?.textContent)),
      };
    });
  }

  it(
    'answers with the AI agent, hands off to a person with the queue position live, and shows who joined and their reply',
    async () => {
      // Someone else is already waiting in the general queue.
      const other = await server.api<{ token: string }>('POST', '/api/widget/sessions', { channel: 'web-chat', contact: { name: 'Other', language: 'en' } }, '');
      const otherAuth = other.data.token;
      const otherTurn = await server.api<Turn>('POST', '/api/widget/conversations', { message: 'I want to talk to a person' }, otherAuth);
      expect(otherTurn.data.conversation.status).toBe('queued');

      await page.goto(`${server.url}/demo`);
      const launcher = widget.getByRole('button', { name: 'Open chat' });
      await launcher.waitFor();
      await screenshot(page, 'widget-closed');

      // No globals but window.Baton (compared with a page of the same origin without the widget).
      const ours = await page.evaluate(() => Object.getOwnPropertyNames(window));
      const blank = await context.newPage();
      await blank.goto(`${server.url}/healthz`);
      const baseline = new Set(await blank.evaluate(() => Object.getOwnPropertyNames(window)));
      await blank.close();
      expect(ours.filter((name) => !baseline.has(name))).toEqual(['Baton']);

      await launcher.click();
      const input = widget.getByRole('textbox', { name: 'Message' });
      await poll(() => widget.evaluate((host) => String(host.shadowRoot?.activeElement?.tagName))).toBe('TEXTAREA');
      await input.fill('How do I reset my password?');
      await input.press('Enter');
      await poll(() => bubbles('assistant').count()).toBe(1);
      expect(await bubbles('assistant').first().textContent()).toContain('Reset password');
      // The article as a paragraph: the line break of demo/baton.yaml's block is a space.
      expect(await bubbles('assistant').first().textContent()).toContain('We email you a link that is valid for 30 minutes;');
      expect(await bubbles('contact').first().textContent()).toContain('How do I reset my password?');
      await screenshot(page, 'widget-ai-answer');

      await widget.getByRole('button', { name: 'Talk to a person' }).click();
      await poll(() => status().textContent()).toContain('You are number 2 in line');
      expect(await status().textContent()).toMatch(/expected wait/);
      // The handoff's confirmation, in the customer's language, from the rule.
      await poll(() => bubbles('system').last().textContent()).toContain('a member of our team will reply soon');
      expect(await widget.getByRole('button', { name: 'Talk to a person' }).isHidden()).toBe(true);
      conversationId = (await page.evaluate(() => JSON.parse(localStorage.getItem('baton:widget:web-chat') ?? '{}') as { conversationId: string })).conversationId;
      expect(conversationId).not.toBe('');

      // The conversation ahead is taken: the customer moves up without a reload (queue.position).
      expect((await server.api('POST', `/api/conversations/${otherTurn.data.conversation.id}/claim`, {}, sam)).status).toBe(200);
      await poll(() => status().textContent()).toContain('You are next in line');
      await screenshot(page, 'widget-handoff-waiting');

      // Sam takes it, types, replies: all live.
      expect((await server.api('POST', `/api/conversations/${conversationId}/claim`, {}, sam)).status).toBe(200);
      await poll(() => widget.getByText(/Sam joined the conversation/).last().textContent()).toContain('Sam joined the conversation');
      await poll(() => status().textContent()).toBe('You are chatting with Sam');
      expect((await server.api('POST', `/api/conversations/${conversationId}/typing`, {}, sam)).status).toBe(204);
      await poll(() => widget.locator('.typing').textContent()).toBe('Sam is typing…');
      expect((await server.api('POST', `/api/conversations/${conversationId}/messages`, { body: 'Hi, I am Sam. How can I help?' }, sam)).status).toBe(201);
      await poll(() => bubbles('user').last().textContent()).toContain('Hi, I am Sam. How can I help?');
      expect(await widget.locator('.typing').textContent()).toBe('');
      // Said once: the server's join message is the only one (the widget adds none of its own).
      await page.clock.fastForward(1_600);
      expect(await widget.getByText(/Sam joined the conversation/).count()).toBe(1);
      await screenshot(page, 'widget-agent-joined');

      // The customer's typing reaches the agents' stream (over the widget's socket).
      const agentStream = new WebSocket(`${server.url.replace('http', 'ws')}/api/realtime?token=${sam}`);
      const typingFrom = new Promise<{ conversationId: string; data: { author: string } }>((resolve, reject) => {
        agentStream.on('message', (raw) => {
          const frame = JSON.parse((raw as Buffer).toString('utf8'));
          if (frame.type === 'stream.ready') void input.fill('I am typing');
          if (frame.type === 'typing' && frame.data.author === 'contact') resolve(frame);
        });
        agentStream.on('error', reject);
        setTimeout(() => reject(new Error('no typing frame from the customer')), POLL_MS);
      });
      try {
        expect(await typingFrom).toMatchObject({ conversationId, data: { author: 'contact' } });
      } finally {
        agentStream.close();
      }
      await input.fill('');
    },
    E2E_TIMEOUT,
  );

  it(
    'shows hostile text typed by the customer and sent back by the agent literally, running nothing',
    async () => {
      const payloads = ['<img src=x onerror=alert(1)>', '<script>alert(1)</script>', '"><svg onload=alert(1)>'];
      const input = widget.getByRole('textbox', { name: 'Message' });
      for (const payload of payloads) {
        await input.fill(payload);
        await input.press('Enter');
        await poll(() => bubbles('contact').last().textContent()).toContain(payload);
      }
      for (const payload of payloads) {
        expect((await server.api('POST', `/api/conversations/${conversationId}/messages`, { body: `You wrote: ${payload}` }, sam)).status).toBe(201);
      }
      await poll(() => bubbles('user').last().textContent()).toContain(`You wrote: ${payloads[2]}`);
      const { bodies } = await widgetTranscript();
      for (const payload of payloads) {
        expect(bodies).toContain(payload);
        expect(bodies).toContain(`You wrote: ${payload}`);
      }
      const injected = await widget.evaluate((host) => Number(host.shadowRoot?.querySelectorAll('.log img, .log script, .log svg').length ?? -1));
      expect(injected).toBe(0);
      // Barrier: an image with the same broken source, loaded now, fails after any such image in
      // the transcript did, so any onerror (and its dialog) would have run by then.
      await page.evaluate('new Promise((done) => { const img = new Image(); img.onerror = img.onload = () => done(); img.src = "x"; })');
      expect(dialogs).toEqual([]);
    },
    E2E_TIMEOUT,
  );

  it(
    'reconnects after a server restart and catches up the message sent meanwhile, nothing lost or doubled',
    async () => {
      const before = (await widgetTranscript()).bodies.length;
      await server.restart(async (baton) => {
        // The widget noticed the socket went down and says so.
        await poll(() => widget.locator('.err').textContent()).toBe('Connection lost. Reconnecting…');
        await screenshot(page, 'widget-reconnecting');
        // The server is back but not listening yet: the widget cannot have this live.
        const sent = await baton.app.inject({
          method: 'POST',
          url: `/api/conversations/${conversationId}/messages`,
          headers: { authorization: `Bearer ${sam}` },
          payload: { body: 'Sent while you were disconnected' },
        });
        expect(sent.statusCode).toBe(201);
      });
      await poll(async () => (await widgetTranscript()).bodies.at(-1)).toBe('Sent while you were disconnected');
      await poll(() => widget.locator('.err').textContent()).toBe('');

      // Live again after the reconnect.
      expect((await server.api('POST', `/api/conversations/${conversationId}/messages`, { body: 'And this one live' }, sam)).status).toBe(201);
      await poll(async () => (await widgetTranscript()).bodies.at(-1)).toBe('And this one live');

      const after = await widgetTranscript();
      expect(after.bodies.length).toBe(before + 2);
      expect(new Set(after.ids).size).toBe(after.ids.length);
      expect(after.bodies).toEqual(await serverTranscript());

      // A reload resumes the same conversation (the token is kept per channel).
      await page.reload();
      await widget.getByRole('button', { name: 'Open chat' }).click();
      await poll(async () => (await widgetTranscript()).bodies).toEqual(await serverTranscript());
      await poll(() => status().textContent()).toBe('You are chatting with Sam');
    },
    E2E_TIMEOUT,
  );

  it(
    'asks for a rating once the conversation is resolved and stores it',
    async () => {
      expect((await server.api('POST', `/api/conversations/${conversationId}/resolve`, {}, sam)).status).toBe(200);
      const five = widget.getByRole('button', { name: 'Rate 5 out of 5' });
      await five.waitFor({ timeout: POLL_MS });
      expect(await widget.getByText('How did we do?').isVisible()).toBe(true);
      await screenshot(page, 'widget-csat');
      await five.click();
      await poll(() => widget.locator('.note').last().textContent()).toBe('Thank you for your rating!');
      expect(await five.isHidden()).toBe(true);
      const stored = await server.api<{ rating: { score: number } | null }>('GET', `/api/conversations/${conversationId}`);
      expect(stored.data.rating?.score).toBe(5);
    },
    E2E_TIMEOUT,
  );

  it(
    'asks again when the conversation is reopened and resolved again, and stores the new rating beside the first',
    async () => {
      const five = widget.getByRole('button', { name: 'Rate 5 out of 5' });
      expect((await server.api('POST', `/api/conversations/${conversationId}/reopen`, {})).status).toBe(200);
      await poll(() => status().textContent()).not.toContain('resolved');
      expect(await five.isHidden()).toBe(true);
      expect((await server.api('POST', `/api/conversations/${conversationId}/resolve`, {}, sam)).status).toBe(200);
      const three = widget.getByRole('button', { name: 'Rate 3 out of 5' });
      await three.waitFor({ timeout: POLL_MS });
      await screenshot(page, 'widget-csat-again');
      await three.click();
      await poll(async () => (await server.api<{ rating: { score: number; current: boolean } | null }>('GET', `/api/conversations/${conversationId}`)).data.rating).toEqual({
        score: 3,
        comment: null,
        current: true,
      });
      expect(await three.isHidden()).toBe(true);
    },
    E2E_TIMEOUT,
  );

  it(
    'says who joined, and no wait, when the handoff assigns a person at once, and says it again after a reload',
    async () => {
      expect((await server.api('PATCH', '/api/users/sam/status', { status: 'available' })).status).toBe(200);
      const other = await chromium.newPage();
      try {
        const w = other.page.locator('[data-baton-widget]');
        await other.page.goto(`${server.url}/demo`);
        await w.getByRole('button', { name: 'Open chat' }).click();
        await w.getByRole('button', { name: 'Talk to a person' }).click();
        await poll(() => w.getByRole('status').textContent()).toBe('You are chatting with Sam');
        const system = w.locator('.msg.system[data-id]');
        await poll(() => system.allTextContents()).toEqual(['Thanks — a member of our team will reply soon.', 'Sam joined the conversation.']);
        expect(await w.locator('.log').textContent()).not.toMatch(/wait/i);
        await screenshot(other.page, 'widget-direct-assignment');

        await other.page.reload();
        await w.getByRole('button', { name: 'Open chat' }).click();
        await poll(() => w.locator('.msg.system[data-id]').allTextContents()).toEqual(['Thanks — a member of our team will reply soon.', 'Sam joined the conversation.']);
        expect(await w.getByText(/Sam joined the conversation/).count()).toBe(1);
      } finally {
        await other.context.close();
        expect((await server.api('PATCH', '/api/users/sam/status', { status: 'away' })).status).toBe(200);
      }
    },
    E2E_TIMEOUT,
  );

  it(
    'fits a 390-px phone, speaks the page language and is usable from the keyboard',
    async () => {
      const phone = await chromium.newPage({ viewport: { width: 390, height: 844 } });
      try {
        const w = phone.page.locator('[data-baton-widget]');
        await phone.page.goto(`${server.url}/demo?lang=es`);
        const launcher = w.getByRole('button', { name: 'Abrir el chat' });
        await launcher.focus();
        await phone.page.keyboard.press('Enter');
        const human = w.getByRole('button', { name: 'Hablar con una persona' });
        await human.waitFor();
        const box = await w.getByRole('dialog', { name: 'Chatea con nosotros' }).boundingBox();
        expect(box?.width).toBeLessThanOrEqual(390);
        expect(await phone.page.evaluate(() => Number(document.documentElement.scrollWidth))).toBeLessThanOrEqual(390);
        const input = w.getByRole('textbox', { name: 'Mensaje' });
        await input.fill('¿Cómo restablezco mi contraseña?');
        await input.press('Enter');
        await poll(() => w.locator('.msg.assistant[data-id]').count()).toBe(1);
        await screenshot(phone.page, 'widget-phone-390');
        // The session's contact carries the page's language.
        const id = (await phone.page.evaluate(() => JSON.parse(localStorage.getItem('baton:widget:web-chat') ?? '{}') as { conversationId: string })).conversationId;
        const conversation = await server.api<{ language: string | null }>('GET', `/api/conversations/${id}`);
        expect(conversation.data.language).toBe('es');
        await phone.page.keyboard.press('Escape');
        await w.getByRole('dialog').waitFor({ state: 'hidden' });
        expect(await w.evaluate((host) => String(host.shadowRoot?.activeElement?.getAttribute('aria-label')))).toBe('Abrir el chat');
      } finally {
        await phone.context.close();
      }
    },
    E2E_TIMEOUT,
  );
});

describe('chat widget out of hours (e2e, chromium)', () => {
  let server: E2eServer;

  beforeAll(async () => {
    // Saturday late morning in Madrid: the Spanish queue (office hours) is closed until Monday 09:00.
    const offset = Date.parse('2026-11-28T11:00:00+01:00') - Date.now();
    server = await startE2eServer({ clock: { now: () => Date.now() + offset }, buildWidget: false });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it(
    'shows the handoff message with the next opening time to a Spanish enterprise customer set with Baton.setContact',
    async () => {
      const { context, page } = await chromium.newPage();
      try {
        const widget = page.locator('[data-baton-widget]');
        await page.goto(`${server.url}/demo?lang=es`);
        await widget.getByRole('button', { name: 'Abrir el chat' }).click();
        await page.evaluate(() => (window as unknown as { Baton: { setContact(c: object): void } }).Baton.setContact({ name: 'Lucía', properties: { plan: 'enterprise' } }));
        await widget.getByRole('button', { name: 'Hablar con una persona' }).click();
        const system = widget.locator('.msg.system[data-id]');
        await poll(() => system.count()).toBeGreaterThan(0);
        const said = (await system.allTextContents()).join('\n');
        console.log(`out-of-hours handoff said: ${said} | status: ${await widget.getByRole('status').textContent()}`);
        expect(said).toContain('Te paso con un especialista');
        await poll(() => widget.getByRole('status').textContent()).toContain('El equipo vuelve');
        await screenshot(page, 'widget-out-of-hours');
      } finally {
        await context.close();
      }
    },
    E2E_TIMEOUT,
  );
});

describe('chat widget on another site (e2e, chromium)', () => {
  let server: E2eServer;
  let shop: Server;
  let shopUrl = '';

  beforeAll(async () => {
    server = await startE2eServer({ buildWidget: false });
    // A customer's site on another origin, with CSS that would wreck anything it reached.
    const page = `<!doctype html><html lang="en"><head><title>Shop</title>
<style>* { color: rgb(255, 0, 0) !important; font-size: 40px !important; } button { display: none !important; }</style></head>
<body><h1>Shop</h1><script src="${server.url}/widget.js" data-channel="web-chat" async></script></body></html>`;
    shop = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page));
    await new Promise<void>((resolve) => shop.listen(0, 'localhost', resolve));
    const address = shop.address();
    if (address === null || typeof address === 'string') throw new Error('no shop address');
    shopUrl = `http://localhost:${address.port}/`;
  }, 120_000);
  afterAll(async () => {
    await new Promise((resolve) => shop?.close(resolve));
    await server?.close();
  });

  it(
    'works from one tag on a page of another origin, untouched by its CSS',
    async () => {
      const { context, page } = await chromium.newPage();
      try {
        const widget = page.locator('[data-baton-widget]');
        await page.goto(shopUrl);
        const launcher = widget.getByRole('button', { name: 'Open chat' });
        await launcher.click();
        const input = widget.getByRole('textbox', { name: 'Message' });
        await input.fill('How do I reset my password?');
        await input.press('Enter');
        // The API calls crossed origins (CORS): the AI agent answered.
        await poll(() => widget.locator('.msg.assistant[data-id]').count()).toBe(1);
        const style = await widget.locator('.msg.contact[data-id]').evaluate((node) => {
          const computed = getComputedStyle(node);
          return { color: String(computed.color), fontSize: String(computed.fontSize) };
        });
        expect(style).toEqual({ color: 'rgb(255, 255, 255)', fontSize: '15px' });
        // The page hides every button it can reach: not ours (now labelled to close the chat).
        expect(await widget.getByRole('button', { name: 'Close chat' }).first().isVisible()).toBe(true);
        expect(await widget.locator('.launcher').isVisible()).toBe(true);
      } finally {
        await context.close();
      }
    },
    E2E_TIMEOUT,
  );
});
