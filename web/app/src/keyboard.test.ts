import { describe, expect, it } from 'vitest';
import { isTypingTarget, ShortcutRegistry } from './keyboard.js';

const key = (k: string, target: unknown = { tagName: 'BODY' }, extra: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; defaultPrevented: boolean }> = {}) => ({
  key: k,
  target: target as EventTarget,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  defaultPrevented: false,
  ...extra,
});

describe('isTypingTarget', () => {
  it('is true in inputs, textareas, selects and contenteditable, false elsewhere', () => {
    for (const tagName of ['INPUT', 'TEXTAREA', 'SELECT']) expect(isTypingTarget({ target: { tagName } as unknown as EventTarget })).toBe(true);
    expect(isTypingTarget({ target: { tagName: 'DIV', isContentEditable: true } as unknown as EventTarget })).toBe(true);
    expect(isTypingTarget({ target: { tagName: 'BUTTON', isContentEditable: false } as unknown as EventTarget })).toBe(false);
    expect(isTypingTarget({ target: null })).toBe(false);
  });
});

describe('ShortcutRegistry', () => {
  it('runs the latest registration of a key, never while typing or with a modifier', () => {
    const registry = new ShortcutRegistry();
    const ran: string[] = [];
    registry.register({ key: 'j', description: 'Next', run: () => ran.push('first') });
    const remove = registry.register({ key: 'j', description: 'Next', run: () => ran.push('second') });
    expect(registry.handle(key('j'))).toBe(true);
    expect(registry.handle(key('j', { tagName: 'TEXTAREA' }))).toBe(false);
    expect(registry.handle(key('j', undefined, { ctrlKey: true }))).toBe(false);
    expect(registry.handle(key('x'))).toBe(false);
    remove();
    registry.handle(key('j'));
    expect(ran).toEqual(['second', 'first']);
    expect(registry.list().map((s) => s.key)).toEqual(['j']);
  });
});
