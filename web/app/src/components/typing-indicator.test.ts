import { describe, expect, it } from 'vitest';
import type { Frame } from '../state/inbox.js';
import { activeTypists, applyTypingFrames, shouldSendTyping, TYPING_SEND_INTERVAL_MS, TYPING_SHOW_MS, typingText, type TypingContext } from './typing-indicator.js';

const context: TypingContext = { conversationId: 'c1', me: 'maria', customerName: 'Lucía Fernández', now: 1_000_000 };
const customerTyping = (conversationId = 'c1'): Frame => ({ seq: 3, type: 'typing', conversationId, data: { author: 'contact', contactId: 'ct1' } });
const agentTyping = (userId: string | null, name: string | null): Frame => ({ seq: 3, type: 'typing', conversationId: 'c1', data: { author: 'user', userId, name, private: false } });
const message = (author: string, authorId: string | null): Frame => ({ seq: 4, type: 'message.created', conversationId: 'c1', data: { author, authorId, body: 'hi' } });

describe('the typing indicator', () => {
  it('shows the customer typing in the open conversation, for a few seconds', () => {
    const typists = applyTypingFrames([], [customerTyping()], context);
    expect(typingText(activeTypists(typists, context.now))).toBe('Lucía Fernández is typing…');
    expect(activeTypists(typists, context.now + TYPING_SHOW_MS - 1)).toHaveLength(1);
    expect(activeTypists(typists, context.now + TYPING_SHOW_MS)).toEqual([]);
  });

  it('keeps showing while typing frames keep coming', () => {
    let typists = applyTypingFrames([], [customerTyping()], context);
    typists = applyTypingFrames(typists, [customerTyping()], { ...context, now: context.now + 4_000 });
    expect(activeTypists(typists, context.now + TYPING_SHOW_MS + 1_000)).toHaveLength(1);
  });

  it('hides the customer as soon as their message arrives, not another author’s', () => {
    const typists = applyTypingFrames([], [customerTyping()], context);
    expect(applyTypingFrames(typists, [message('assistant', null)], context)).toHaveLength(1);
    expect(applyTypingFrames(typists, [message('contact', 'ct1')], context)).toEqual([]);
  });

  it('ignores other conversations and my own typing', () => {
    expect(applyTypingFrames([], [customerTyping('c2'), agentTyping('maria', 'María López')], context)).toEqual([]);
  });

  it('shows other agents by name, after the customer', () => {
    const typists = applyTypingFrames([], [agentTyping('sam', 'Sam Taylor'), agentTyping('ana', 'Ana Ruiz'), customerTyping()], context);
    expect(typingText(activeTypists(typists, context.now))).toBe('Lucía Fernández, Ana Ruiz and Sam Taylor are typing…');
    const afterAna = applyTypingFrames(typists, [message('user', 'ana')], context);
    expect(typingText(activeTypists(afterAna, context.now))).toBe('Lucía Fernández and Sam Taylor are typing…');
  });

  it('says nothing when nobody types', () => {
    expect(typingText([])).toBeNull();
  });
});

describe('the composer telling others it types', () => {
  const now = 50_000;
  it('sends for a reply with text, at most once per interval', () => {
    expect(shouldSendTyping({ mode: 'reply', text: 'H', lastSentAt: null, now })).toBe(true);
    expect(shouldSendTyping({ mode: 'reply', text: 'He', lastSentAt: now - 1_000, now })).toBe(false);
    expect(shouldSendTyping({ mode: 'reply', text: 'Hel', lastSentAt: now - TYPING_SEND_INTERVAL_MS, now })).toBe(true);
  });

  it('never sends for an internal note or an empty box', () => {
    expect(shouldSendTyping({ mode: 'note', text: 'Check the invoice', lastSentAt: null, now })).toBe(false);
    expect(shouldSendTyping({ mode: 'reply', text: '   ', lastSentAt: null, now })).toBe(false);
  });
});
