import { describe, expect, it } from 'vitest';
import { BatonError } from '../../platform/errors.js';
import { editDocument } from './edit-directory.js';

const doc = { workspace: { name: 'Acme' }, teams: [{ id: 'billing', name: 'Billing', members: ['ana'] }, { id: 'oncall', name: 'On call' }] };

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return error instanceof BatonError ? error.code : 'other';
  }
  return undefined;
};

describe('editDocument', () => {
  it('appends an added object and names it in the summary, leaving the input alone', () => {
    const edited = editDocument(doc, 'teams', { kind: 'add', item: { id: 'vip', name: 'VIP' } });
    expect(edited.index).toBe(2);
    expect((edited.document.teams as { id: string }[]).map((t) => t.id)).toEqual(['billing', 'oncall', 'vip']);
    expect(edited.summary).toBe('teams: added vip');
    expect(doc.teams).toHaveLength(2);
  });

  it('adds to a section the document does not have yet', () => {
    const edited = editDocument(doc, 'knowledge', { kind: 'add', item: { id: 'faq', title: 'FAQ', body: 'text' } });
    expect(edited.document.knowledge).toEqual([{ id: 'faq', title: 'FAQ', body: 'text' }]);
  });

  it('refuses an id that exists (conflict) and an unknown id (not_found)', () => {
    expect(codeOf(() => editDocument(doc, 'teams', { kind: 'add', item: { id: 'billing', name: 'x' } }))).toBe('conflict');
    expect(codeOf(() => editDocument(doc, 'teams', { kind: 'update', id: 'nope', fields: {} }))).toBe('not_found');
    expect(codeOf(() => editDocument(doc, 'teams', { kind: 'remove', id: 'nope' }))).toBe('not_found');
  });

  it('replaces top-level fields, removes those set to null, and keeps the id', () => {
    const edited = editDocument(doc, 'teams', { kind: 'update', id: 'billing', fields: { name: 'Money', members: null, id: 'billing' } });
    expect((edited.document.teams as unknown[])[0]).toEqual({ id: 'billing', name: 'Money' });
    expect(edited.summary).toBe('teams: changed billing (name, members)');
    expect(codeOf(() => editDocument(doc, 'teams', { kind: 'update', id: 'billing', fields: { id: 'money' } }))).toBe('invalid');
  });

  it('removes an object and returns it', () => {
    const edited = editDocument(doc, 'teams', { kind: 'remove', id: 'oncall' });
    expect(edited.before).toEqual({ id: 'oncall', name: 'On call' });
    expect(edited.document.teams).toEqual([doc.teams[0]]);
    expect(edited.summary).toBe('teams: removed oncall');
  });
});
