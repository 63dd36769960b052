/**
 * The Baton chat widget: one tag on any site —
 * `<script src="https://HOST/widget.js" data-channel="web-chat" async></script>`.
 * The API is the script's own origin. Everything lives in a shadow root (the page's CSS does not
 * reach in), and the only global is `window.Baton`. Customer and agent text is only ever put in
 * the page as text nodes (`textContent`), never parsed as HTML.
 */
import { createApi, createSocket, HttpError, type ContactDraft, type ConversationState, type Message, type RealtimeFrame } from './api.js';
import { formatWait, normaliseLanguage, stringsFor } from './strings.js';
import { STYLES } from './styles.js';
import { splitTextSegments } from '../../shared/text-segments.js';

interface Saved {
  token: string;
  conversationId: string | null;
  /** The last realtime seq applied (resume with `?after=`). */
  streamSeq: number;
}

// Read while this script runs: `document.currentScript` is null in any later callback.
const currentScript = document.currentScript as HTMLScriptElement | null;

/** Resolved or closed: the customer is asked to rate (once per resolution). */
const isOver = (status: string): boolean => status === 'resolved' || status === 'closed';

function init(): void {
  const w = window as unknown as { Baton?: unknown };
  if (w.Baton !== undefined) return; // the tag twice on one page: one widget

  const script = currentScript ?? document.querySelector<HTMLScriptElement>('script[src*="widget.js"][data-channel]');
  const base = script === null ? location.origin : new URL(script.src, location.href).origin;
  const channel = script?.dataset.channel ?? 'web-chat';
  const language = normaliseLanguage(script?.dataset.lang) ?? normaliseLanguage(document.documentElement.lang) ?? normaliseLanguage(navigator.language) ?? 'en';
  const s = stringsFor(language);
  const storageKey = `baton:widget:${channel}`;

  // ── state ─────────────────────────────────────────────────────────────────────────────────────
  let saved: Saved | null = load();
  let contact: ContactDraft = {};
  let conversation: ConversationState | null = null;
  const seen = new Set<string>();
  let lastMessageSeq = 0;
  let isOpen = false;
  let busy = false;
  let rated = false;

  function load(): Saved | null {
    try {
      const raw = localStorage.getItem(storageKey);
      const value = raw === null ? null : (JSON.parse(raw) as Partial<Saved>);
      return typeof value?.token === 'string' ? { token: value.token, conversationId: value.conversationId ?? null, streamSeq: value.streamSeq ?? 0 } : null;
    } catch {
      return null;
    }
  }
  function persist(): void {
    try {
      if (saved === null) localStorage.removeItem(storageKey);
      else localStorage.setItem(storageKey, JSON.stringify(saved));
    } catch {
      // Storage blocked (private mode, third-party context): the chat works, a reload starts over.
    }
  }

  const api = createApi(base, () => saved?.token ?? null);
  const socket = createSocket(
    base,
    () => saved?.token ?? null,
    () => saved?.streamSeq ?? 0,
    {
      onFrame: applyFrame,
      onUp: () => {
        setError('');
        void catchUp();
      },
      onDown: () => setError(saved === null ? '' : s.reconnecting),
    },
  );

  // ── DOM ───────────────────────────────────────────────────────────────────────────────────────
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  };

  const host = el('div', { 'data-baton-widget': '' });
  const root = host.attachShadow({ mode: 'open' });
  const style = el('style', {}, STYLES);
  const wrap = el('div', { class: 'root', lang: language });

  const launcher = el('button', { class: 'launcher', type: 'button', 'aria-label': s.open, 'aria-expanded': 'false', 'aria-controls': 'baton-panel' });
  // A static icon (no data in it).
  launcher.innerHTML = '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/></svg>';
  const dot = el('span', { class: 'dot', hidden: '' });
  launcher.append(dot);

  const panel = el('section', { class: 'panel', id: 'baton-panel', role: 'dialog', 'aria-label': s.title, hidden: '' });
  const header = el('header');
  const title = el('h2', {}, s.title);
  const closeButton = el('button', { class: 'x', type: 'button', 'aria-label': s.close }, '×');
  header.append(title, closeButton);
  const status = el('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const log = el('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': s.title, tabindex: '0' });
  const welcome = el('div', { class: 'msg assistant' });
  welcome.append(el('span', { class: 'who' }, s.assistant), document.createTextNode(s.welcome));
  log.append(welcome);
  const typing = el('div', { class: 'typing', 'aria-live': 'polite' });
  const csat = el('div', { class: 'csat', hidden: '' });
  const csatQuestion = el('p', { id: 'baton-csat-q' }, s.rate);
  const stars = el('div', { class: 'stars', role: 'group', 'aria-labelledby': 'baton-csat-q' });
  for (let n = 1; n <= 5; n += 1) {
    const star = el('button', { type: 'button', 'aria-label': s.rateN(n), 'data-score': String(n) }, String(n));
    star.addEventListener('click', () => void rate(n));
    stars.append(star);
  }
  csat.append(csatQuestion, stars);
  const footer = el('footer');
  const humanButton = el('button', { class: 'human', type: 'button' }, s.human);
  const row = el('div', { class: 'row' });
  const input = el('textarea', { rows: '1', 'aria-label': s.input, placeholder: s.placeholder, maxlength: '20000' });
  const sendButton = el('button', { class: 'send', type: 'button' }, s.send);
  const error = el('div', { class: 'err', role: 'alert' });
  row.append(input, sendButton);
  footer.append(humanButton, row, error);
  panel.append(header, status, log, typing, csat, footer);
  wrap.append(panel, launcher);
  root.append(style, wrap);

  // ── rendering ─────────────────────────────────────────────────────────────────────────────────
  const nearBottom = (): boolean => log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  const scrollDown = (): void => {
    log.scrollTop = log.scrollHeight;
  };

  function whoOf(message: Message): string {
    switch (message.author) {
      case 'contact':
        return s.you;
      case 'assistant':
        return s.assistant;
      case 'user':
        return message.authorName?.split(' ')[0] ?? s.team;
      case 'system':
        return '';
    }
  }

  /** Add a message once (by id), in seq order. */
  function addMessage(message: Message): void {
    if (message.private || seen.has(message.id)) return;
    if (conversation !== null && message.conversationId !== conversation.id) return;
    seen.add(message.id);
    lastMessageSeq = Math.max(lastMessageSeq, message.seq);
    const stick = nearBottom();
    const bubble = el('div', { class: `msg ${message.author}`, 'data-id': message.id, 'data-seq': String(message.seq) });
    const who = whoOf(message);
    if (who !== '') bubble.append(el('span', { class: 'who' }, who));
    // Links (http, https, mailto only) as elements, everything else as text: never HTML.
    const body = el('span');
    bubble.append(body);
    for (const segment of splitTextSegments(message.body)) {
      body.append(
        segment.type === 'link'
          ? el('a', { href: segment.href, target: '_blank', rel: 'noopener noreferrer' }, segment.text)
          : document.createTextNode(segment.text),
      );
    }
    const later = [...log.querySelectorAll<HTMLElement>('.msg[data-seq]')].find((node) => Number(node.dataset.seq) > message.seq);
    log.insertBefore(bubble, later ?? null);
    if (message.author === 'user') showTyping(null);
    if (!isOpen && message.author !== 'contact') dot.hidden = false;
    if (stick || message.author === 'contact') scrollDown();
  }

  function addNote(text: string): void {
    const stick = nearBottom();
    log.append(el('div', { class: 'note' }, text));
    if (stick) scrollDown();
  }

  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  function showTyping(name: string | null): void {
    clearTimeout(typingTimer);
    typing.textContent = name === null ? '' : s.typing(name);
    if (name !== null) typingTimer = setTimeout(() => showTyping(null), 5_000);
  }

  function renderStatus(): void {
    // The status line and the rating prompt take room from the transcript: keep its end in view.
    const stick = nearBottom();
    const c = conversation;
    let text = '';
    if (c !== null) {
      switch (c.status) {
        case 'queued': {
          text = c.queuePosition === null ? s.connecting : s.position(c.queuePosition);
          if (c.nextOpenAt !== null) {
            // Out of hours the opening time says more than a wait of "46 h".
            const when = new Date(c.nextOpenAt).toLocaleString(language, { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' });
            text += `${text.endsWith('…') ? ' ' : '. '}${s.backAt(when)}`;
          } else if (c.expectedWaitSeconds !== null) {
            text += ` · ${s.waitFor(formatWait(c.expectedWaitSeconds, s))}`;
          }
          break;
        }
        case 'assigned':
        case 'waiting_on_customer':
          text = c.owner === null ? s.connecting : s.chattingWith(c.owner.name);
          break;
        case 'resolved':
        case 'closed':
          text = s.resolved;
          break;
        default:
          text = '';
      }
    }
    status.textContent = text;
    const over = c !== null && isOver(c.status);
    csat.hidden = !(over && c.rating === null && !rated);
    // Before the first message, with the AI agent, or after a rating (writing again starts anew).
    humanButton.hidden = c !== null && (over ? !csat.hidden : c.status !== 'bot');
    if (stick) scrollDown();
  }

  // "Ana joined the conversation" is a stored system message the server writes with each
  // assignment: it arrives like any message, and a reload or a catch-up shows it again.
  function setConversation(next: ConversationState): void {
    conversation = next;
    renderStatus();
  }

  function setError(text: string): void {
    error.textContent = text;
  }

  // ── realtime ──────────────────────────────────────────────────────────────────────────────────
  function applyFrame(frame: RealtimeFrame): void {
    if (saved !== null && frame.type !== 'typing' && frame.seq > saved.streamSeq) {
      saved.streamSeq = frame.seq;
      persist();
    }
    if (conversation === null || frame.conversationId !== conversation.id) return;
    const d = frame.data;
    switch (frame.type) {
      case 'message.created':
        addMessage(d as unknown as Message);
        break;
      case 'conversation.updated': {
        const owner = (d.owner ?? null) as { name: string } | null;
        const nextStatus = typeof d.status === 'string' ? d.status : conversation.status;
        const leftQueue = nextStatus !== 'queued';
        // Resolved again after a reopen: a new resolution, rated anew (the server asks once per resolution).
        const resolvedAnew = !isOver(conversation.status) && isOver(nextStatus);
        if (resolvedAnew) rated = false;
        setConversation({
          ...conversation,
          status: nextStatus,
          owner,
          ...(leftQueue ? { queuePosition: null, expectedWaitSeconds: null, nextOpenAt: null } : {}),
          ...(resolvedAnew ? { rating: null } : {}),
        });
        break;
      }
      case 'conversation.assigned':
        if (typeof d.name === 'string') {
          conversation = { ...conversation, owner: { name: d.name } };
          renderStatus();
        }
        break;
      case 'queue.position':
        setConversation({
          ...conversation,
          queuePosition: typeof d.position === 'number' ? d.position : null,
          expectedWaitSeconds: typeof d.expectedWaitSeconds === 'number' ? d.expectedWaitSeconds : conversation.expectedWaitSeconds,
        });
        break;
      case 'handoff.started':
        if (conversation.status === 'bot') setConversation({ ...conversation, status: 'queued' });
        break;
      case 'typing':
        if (d.author === 'user') showTyping(typeof d.name === 'string' ? d.name : s.someone);
        break;
      case 'handoff.completed':
      case 'notification.created':
      case 'stream.ready':
        // The completed handoff's news arrives as its message and status; the rest is not ours.
        break;
    }
  }

  /** After every (re)connection: what the stream may not have (a reload, a pruned stream). */
  async function catchUp(): Promise<void> {
    const id = saved?.conversationId;
    if (id == null) return;
    try {
      const [state, messages] = await Promise.all([api.conversation(id), api.messages(id, lastMessageSeq)]);
      if (conversation === null) conversation = state;
      for (const message of messages) addMessage(message);
      setConversation(state);
    } catch (failure) {
      if (failure instanceof HttpError && (failure.status === 401 || failure.status === 404)) reset();
    }
  }

  // ── actions ───────────────────────────────────────────────────────────────────────────────────
  async function ensureSession(): Promise<void> {
    if (saved !== null) return;
    let timezone: string | undefined;
    try {
      timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch {
      timezone = undefined;
    }
    const session = await api.createSession(channel, { language, ...(timezone === undefined ? {} : { timezone }), ...contact });
    saved = { token: session.token, conversationId: null, streamSeq: 0 };
    persist();
  }

  function applyTurn(turn: { conversation: ConversationState; messages: readonly Message[] }): void {
    if (saved !== null && saved.conversationId !== turn.conversation.id) {
      saved.conversationId = turn.conversation.id;
      persist();
    }
    if (conversation === null || conversation.id !== turn.conversation.id) conversation = turn.conversation;
    for (const message of turn.messages) addMessage(message);
    setConversation(turn.conversation);
    socket.start();
  }

  function startOver(): void {
    // A resolved conversation stays resolved: writing again opens a new one.
    for (const node of [...log.querySelectorAll('.msg[data-id], .note')]) node.remove();
    seen.clear();
    lastMessageSeq = 0;
    conversation = null;
    rated = false;
    if (saved !== null) saved.conversationId = null;
    persist();
    renderStatus();
  }

  async function run(action: () => Promise<void>): Promise<boolean> {
    if (busy) return false;
    busy = true;
    sendButton.disabled = true;
    humanButton.disabled = true;
    setError('');
    try {
      await action();
      return true;
    } catch (failure) {
      if (failure instanceof HttpError && failure.status === 401) reset();
      setError(s.notSent);
      return false;
    } finally {
      busy = false;
      sendButton.disabled = false;
      humanButton.disabled = false;
    }
  }

  async function send(): Promise<void> {
    const body = input.value.trim();
    if (body === '' || busy) return;
    input.value = '';
    const pending = el('div', { class: 'msg contact pending' });
    pending.append(el('span', { class: 'who' }, s.you), document.createTextNode(body));
    log.append(pending);
    scrollDown();
    const ok = await run(async () => {
      await ensureSession();
      if (conversation !== null && (conversation.status === 'resolved' || conversation.status === 'closed')) startOver();
      const id = saved?.conversationId ?? null;
      applyTurn(id === null ? await api.start(body) : await api.send(id, body));
    });
    pending.remove();
    if (!ok) input.value = body;
  }

  async function askForHuman(): Promise<void> {
    await run(async () => {
      await ensureSession();
      if (conversation !== null && (conversation.status === 'resolved' || conversation.status === 'closed')) startOver();
      let id = saved?.conversationId ?? null;
      if (id === null) {
        applyTurn(await api.start());
        id = saved?.conversationId ?? null;
      }
      if (id !== null) applyTurn(await api.human(id));
    });
  }

  async function rate(score: number): Promise<void> {
    const id = conversation?.id;
    if (id === undefined) return;
    try {
      const state = await api.rate(id, score);
      rated = true;
      // The prompt hides; the score pressed must not look chosen when it asks again after a new resolution.
      for (const star of stars.querySelectorAll('button')) star.blur();
      setConversation(state);
      addNote(s.thanks);
    } catch {
      setError(s.notSent);
    }
  }

  function open(): void {
    isOpen = true;
    panel.hidden = false;
    dot.hidden = true;
    launcher.setAttribute('aria-expanded', 'true');
    launcher.setAttribute('aria-label', s.close);
    launcher.classList.add('open');
    scrollDown();
    input.focus();
  }
  function close(): void {
    isOpen = false;
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    launcher.setAttribute('aria-label', s.open);
    launcher.classList.remove('open');
    launcher.focus();
  }
  function reset(): void {
    socket.stop();
    startOver();
    saved = null;
    persist();
  }

  let lastTypingAt = 0;
  launcher.addEventListener('click', () => (isOpen ? close() : open()));
  closeButton.addEventListener('click', close);
  humanButton.addEventListener('click', () => void askForHuman());
  sendButton.addEventListener('click', () => void send());
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void send();
    }
  });
  input.addEventListener('input', () => {
    // "The customer is typing…" to the agents, at most every 2 s (the server limits to 1/s).
    const now = Date.now();
    if (conversation === null || input.value === '' || now - lastTypingAt < 2_000) return;
    lastTypingAt = now;
    socket.send({ type: 'typing', conversationId: conversation.id });
  });
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') close();
  });

  document.body.append(host);
  renderStatus();
  if (saved?.conversationId != null) {
    // A reload: the same conversation, caught up from the server.
    socket.start();
  }

  w.Baton = {
    open,
    close,
    toggle: () => (isOpen ? close() : open()),
    /** Who the customer is (name, email, properties): sent when the session starts. */
    setContact(next: ContactDraft): void {
      contact = { ...contact, ...next };
      const lang = normaliseLanguage(next.language);
      if (lang === null) delete contact.language;
      else contact.language = lang;
    },
    /** Forget this browser's conversation (sign-out). */
    reset,
  };
}

if (document.body === null) document.addEventListener('DOMContentLoaded', init);
else init();
