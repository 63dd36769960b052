import { describe, expect, it } from 'vitest';
import { buildReferences, domainOf, MAX_REFERENCES, normalizeMessageId, outgoingMessageId, parseMessageIds, replySubject } from './threading.js';

describe('e-mail threading', () => {
  it('reads ids from header values, bracketed or not, each once', () => {
    expect(parseMessageIds('<a@x.test> <b@x.test>\r\n <a@x.test>')).toEqual(['<a@x.test>', '<b@x.test>']);
    expect(parseMessageIds(['<a@x.test>', 'c@x.test'])).toEqual(['<a@x.test>', '<c@x.test>']);
    expect(parseMessageIds('c@x.test d@x.test')).toEqual(['<c@x.test>', '<d@x.test>']);
    expect(parseMessageIds(undefined)).toEqual([]);
    expect(normalizeMessageId(' <m1@example.test> ')).toBe('<m1@example.test>');
    expect(normalizeMessageId('')).toBeNull();
  });

  it("builds References from the parent's References and its Message-ID", () => {
    expect(buildReferences({ messageId: '<c@x>', references: ['<a@x>', '<b@x>'] })).toEqual(['<a@x>', '<b@x>', '<c@x>']);
    expect(buildReferences(null)).toEqual([]);
  });

  it('keeps the root and the latest ids of a long thread', () => {
    const references = Array.from({ length: 40 }, (_, i) => `<m${i}@x>`);
    const built = buildReferences({ messageId: '<last@x>', references });
    expect(built).toHaveLength(MAX_REFERENCES);
    expect(built[0]).toBe('<m0@x>');
    expect(built.at(-1)).toBe('<last@x>');
  });

  it('answers "Re: subject" once', () => {
    expect(replySubject('Invoice wrong', 'x')).toBe('Re: Invoice wrong');
    expect(replySubject('RE: Invoice wrong', 'x')).toBe('RE: Invoice wrong');
    expect(replySubject('two\r\nlines', 'x')).toBe('Re: two lines');
    expect(replySubject(null, 'Your message to Acme')).toBe('Re: Your message to Acme');
  });

  it('makes Message-IDs in the domain of the channel address', () => {
    expect(domainOf('Support@Acme.Test')).toBe('acme.test');
    expect(domainOf('nobody')).toBe('baton.invalid');
    expect(outgoingMessageId('0b6f-11aa', 'support@acme.test')).toBe('<baton.0b6f-11aa@acme.test>');
  });
});
