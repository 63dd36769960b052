import { describe, expect, it } from 'vitest';
import type { Scalar } from '../../contract/conditions.js';
import type { RuleFacts } from '../model.js';
import { aContact, aConversation, aFacts } from '../testing/factories.js';
import { fieldReader, localClockFor, type FieldReader } from './read-field.js';

function readerOf(field: string, timezone = 'UTC'): FieldReader {
  const reader = fieldReader(field, localClockFor(timezone));
  if (reader === null) throw new Error(`no reader for ${field}`);
  return reader;
}

/** The value a scalar field reads (fails the test for a list or channel reader). */
function readScalar(field: string, facts: RuleFacts, timezone = 'UTC'): Scalar | undefined {
  const reader = readerOf(field, timezone);
  if (reader.kind !== 'scalar') throw new Error(`${field} is read as ${reader.kind}`);
  return reader.read(facts);
}

function readList(field: string, facts: RuleFacts): readonly Scalar[] {
  const reader = readerOf(field);
  if (reader.kind !== 'list') throw new Error(`${field} is read as ${reader.kind}`);
  return reader.read(facts);
}

describe('fieldReader: which fields conditions can read', () => {
  it.each(['bogus', 'contact', 'contact.', 'contact.1plan', 'contact.plan.tier', 'account.plan', 'businessHours', 'Channel'])(
    'has no reader for %j',
    (field) => {
      expect(fieldReader(field, localClockFor('UTC'))).toBeNull();
    },
  );

  it('reads channel as its id and its type (a channel reader, plain flavour)', () => {
    expect(readerOf('channel')).toEqual({ kind: 'channel', flavour: 'plain' });
  });

  it('reads the conversation facts through the plain top-level fields', () => {
    const facts = aFacts({
      trigger: 'workflow_flag',
      language: 'pt-BR',
      intent: 'billing_dispute',
      messageText: 'I was charged twice',
      conversation: aConversation({ priority: 'high', tags: ['vip', 'billing'] }),
    });
    expect(readScalar('priority', facts)).toBe('high');
    expect(readList('tags', facts)).toEqual(['vip', 'billing']);
    expect(readScalar('language', facts)).toBe('pt-BR');
    expect(readScalar('intent', facts)).toBe('billing_dispute');
    expect(readScalar('trigger', facts)).toBe('workflow_flag');
    expect(readScalar('message.text', facts)).toBe('I was charged twice');
  });

  it('gives priority the priority flavour and language the language flavour', () => {
    expect(readerOf('priority').flavour).toBe('priority');
    expect(readerOf('conversation.priority').flavour).toBe('priority');
    expect(readerOf('language').flavour).toBe('language');
    expect(readerOf('contact.language').flavour).toBe('language');
    for (const field of ['tags', 'intent', 'trigger', 'message.text', 'time', 'weekday', 'contact.name', 'contact.plan', 'conversation.status']) {
      expect(readerOf(field).flavour, field).toBe('plain');
    }
  });

  it('reads a missing language or intent as null', () => {
    expect(readScalar('language', aFacts())).toBeNull();
    expect(readScalar('intent', aFacts())).toBeNull();
  });
});

describe('fieldReader: contact.<x>', () => {
  const contact = aContact({
    name: 'Lucía',
    email: 'lucia@example.test',
    language: 'es',
    timezone: 'Europe/Madrid',
    ownerId: 'ana',
    properties: { plan: 'enterprise', seats: 40, vip: true, nothing: null },
  });
  const facts = aFacts({ contact });

  it('reads the built-in fields name, email, language, timezone and owner', () => {
    expect(readScalar('contact.name', facts)).toBe('Lucía');
    expect(readScalar('contact.email', facts)).toBe('lucia@example.test');
    expect(readScalar('contact.language', facts)).toBe('es');
    expect(readScalar('contact.timezone', facts)).toBe('Europe/Madrid');
    expect(readScalar('contact.owner', facts)).toBe('ana');
  });

  it('reads any other name as a contact property, undefined when the contact lacks it', () => {
    expect(readScalar('contact.plan', facts)).toBe('enterprise');
    expect(readScalar('contact.seats', facts)).toBe(40);
    expect(readScalar('contact.vip', facts)).toBe(true);
    expect(readScalar('contact.nothing', facts)).toBeNull();
    expect(readScalar('contact.missing', facts)).toBeUndefined();
  });

  it('prefers the built-in field over a property of the same name', () => {
    const shadowed = aFacts({ contact: aContact({ name: 'Lucía', properties: { name: 'Someone else', owner: 'olu' } }) });
    expect(readScalar('contact.name', shadowed)).toBe('Lucía');
    expect(readScalar('contact.owner', shadowed)).toBeNull();
  });

  it('does not read Object.prototype for a property called constructor or toString', () => {
    expect(readScalar('contact.constructor', facts)).toBeUndefined();
    expect(readScalar('contact.toString', facts)).toBeUndefined();
    expect(readScalar('contact.hasOwnProperty', facts)).toBeUndefined();
    const own = aFacts({ contact: aContact({ properties: { constructor: 'mine' } }) });
    expect(readScalar('contact.constructor', own)).toBe('mine');
  });

  it('reads contact.owner as null when the contact has no account owner', () => {
    expect(readScalar('contact.owner', aFacts())).toBeNull();
  });
});

describe('fieldReader: conversation.<x>', () => {
  const conversation = aConversation({
    priority: 'urgent',
    tags: ['complex'],
    ownerId: 'olu',
    status: 'assigned',
    properties: { order: 'A-17', amount: 120 },
  });
  const facts = aFacts({ conversation });

  it('reads the built-in fields priority, tags, owner and status', () => {
    expect(readScalar('conversation.priority', facts)).toBe('urgent');
    expect(readList('conversation.tags', facts)).toEqual(['complex']);
    expect(readScalar('conversation.owner', facts)).toBe('olu');
    expect(readScalar('conversation.status', facts)).toBe('assigned');
  });

  it('reads any other name as a conversation property', () => {
    expect(readScalar('conversation.order', facts)).toBe('A-17');
    expect(readScalar('conversation.amount', facts)).toBe(120);
    expect(readScalar('conversation.missing', facts)).toBeUndefined();
    expect(readScalar('conversation.constructor', facts)).toBeUndefined();
  });

  it('reads conversation.owner as null for a conversation nobody owns', () => {
    expect(readScalar('conversation.owner', aFacts())).toBeNull();
  });
});

describe('fieldReader: time and weekday in the workspace zone', () => {
  it('reads time as HH:MM and weekday as mon…sun of the workspace zone', () => {
    const facts = aFacts({ now: Date.parse('2026-11-25T10:30:59Z') });
    expect(readScalar('time', facts, 'UTC')).toBe('10:30');
    expect(readScalar('weekday', facts, 'UTC')).toBe('wed');
    expect(readScalar('time', facts, 'Europe/Madrid')).toBe('11:30');
    expect(readScalar('time', facts, 'America/New_York')).toBe('05:30');
    expect(readScalar('time', facts, 'Asia/Kathmandu')).toBe('16:15');
  });

  it('moves to the next weekday at local midnight, not at UTC midnight', () => {
    // Tuesday 23:30 UTC is already Wednesday 00:30 in Madrid.
    const facts = aFacts({ now: Date.parse('2026-11-24T23:30:00Z') });
    expect(readScalar('weekday', facts, 'UTC')).toBe('tue');
    expect(readScalar('time', facts, 'Europe/Madrid')).toBe('00:30');
    expect(readScalar('weekday', facts, 'Europe/Madrid')).toBe('wed');
    // And Wednesday 03:00 UTC is still Tuesday evening in New York.
    const early = aFacts({ now: Date.parse('2026-11-25T03:00:00Z') });
    expect(readScalar('weekday', early, 'America/New_York')).toBe('tue');
    expect(readScalar('time', early, 'America/New_York')).toBe('22:00');
  });

  it('follows the DST change in spring: Madrid jumps from 01:59 to 03:00 on Sunday 29 March 2026', () => {
    const zone = 'Europe/Madrid';
    expect(readScalar('time', aFacts({ now: Date.parse('2026-03-29T00:59:00Z') }), zone)).toBe('01:59');
    expect(readScalar('time', aFacts({ now: Date.parse('2026-03-29T01:00:00Z') }), zone)).toBe('03:00');
    expect(readScalar('time', aFacts({ now: Date.parse('2026-03-29T10:00:00Z') }), zone)).toBe('12:00');
    expect(readScalar('weekday', aFacts({ now: Date.parse('2026-03-29T01:00:00Z') }), zone)).toBe('sun');
  });

  it('follows the DST change in autumn: Madrid lives 02:30 twice on Sunday 25 October 2026', () => {
    const zone = 'Europe/Madrid';
    expect(readScalar('time', aFacts({ now: Date.parse('2026-10-25T00:30:00Z') }), zone)).toBe('02:30');
    expect(readScalar('time', aFacts({ now: Date.parse('2026-10-25T01:30:00Z') }), zone)).toBe('02:30');
    expect(readScalar('time', aFacts({ now: Date.parse('2026-10-25T12:00:00Z') }), zone)).toBe('13:00');
  });

  it('re-reads the clock when the same reader sees another instant (the memo is per instant)', () => {
    const clock = localClockFor('Europe/Madrid');
    const time = fieldReader('time', clock);
    const weekday = fieldReader('weekday', clock);
    if (time?.kind !== 'scalar' || weekday?.kind !== 'scalar') throw new Error('scalar readers expected');
    const instants = ['2026-11-25T08:00:00Z', '2026-11-28T22:45:00Z', '2026-11-25T08:00:00Z', '2026-07-01T12:00:00Z'];
    const seen = instants.map((text) => {
      const facts = aFacts({ now: Date.parse(text) });
      return `${String(weekday.read(facts))} ${String(time.read(facts))}`;
    });
    expect(seen).toEqual(['wed 09:00', 'sat 23:45', 'wed 09:00', 'wed 14:00']);
  });
});
