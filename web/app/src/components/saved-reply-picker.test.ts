import { describe, expect, it } from 'vitest';
import type { SavedReply } from '../api.js';
import { filterSavedReplies, slashQuery } from './saved-reply-picker.js';

const reply = (title: string, shortcut: string | null, body: string): SavedReply => ({
  id: title,
  title,
  shortcut,
  shared: true,
  owner: null,
  defaultLanguage: 'en',
  bodies: { en: body },
  rendered: { language: 'en', body },
  createdAt: '',
  updatedAt: '',
});

describe('the saved reply picker', () => {
  it('opens on a leading slash only, with what follows as the query', () => {
    expect(slashQuery('/')).toBe('');
    expect(slashQuery('/ref')).toBe('ref');
    expect(slashQuery('/ref und')).toBeNull();
    expect(slashQuery('see /ref')).toBeNull();
    expect(slashQuery('')).toBeNull();
  });

  it('ranks shortcut, then title, then contains, then body matches', () => {
    const replies = [reply('Shipping delay', 'late', 'Your refund is separate'), reply('Refund sent', 'money', 'Done'), reply('Hello', 'refund', 'Hi')];
    expect(filterSavedReplies(replies, 'REF').map((r) => r.title)).toEqual(['Hello', 'Refund sent', 'Shipping delay']);
    expect(filterSavedReplies(replies, 'zzz')).toEqual([]);
    expect(filterSavedReplies(replies, '')).toHaveLength(3);
  });
});
