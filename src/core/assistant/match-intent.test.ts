import { describe, expect, it } from 'vitest';
import { ASSISTANT_CONFIG } from './assistant-fixtures.js';
import { createIntentMatcher } from './match-intent.js';

const match = createIntentMatcher([
  ...ASSISTANT_CONFIG.intents,
  {
    id: 'billing_dispute_multilingual',
    examples: ["on m'a facturé deux fois", 'zweimal abgebucht', 'fui cobrado duas vezes'],
  },
]);

describe('admin intents', () => {
  it('recognises messages that say what an example says, in other words too', () => {
    expect(match('I was charged twice')?.intent).toBe('billing_dispute');
    expect(match('Hi, I was charged twice this month, can you check?')?.intent).toBe('billing_dispute');
    expect(match('there is a double charge on my credit card')?.intent).toBe('billing_dispute');
    expect(match('the amount on my invoice is wrong')?.intent).toBe('billing_dispute');
    expect(match('how do I transfer ownership of the account')?.intent).toBe('account_owner');
    expect(match('the app keeps crashing')?.intent).toBe('bug_report');
  });

  it('works in the language the admin wrote the examples in', () => {
    expect(match('Me cobraron dos veces el mes pasado')?.intent).toBe('billing_dispute');
    expect(match('quiero cambiar el propietario de la cuenta')?.intent).toBe('account_owner');
    expect(match("On m'a facturé deux fois ce mois-ci")?.intent).toBe('billing_dispute_multilingual');
    expect(match('Mir wurde zweimal abgebucht')?.intent).toBe('billing_dispute_multilingual');
    expect(match('Fui cobrado duas vezes')?.intent).toBe('billing_dispute_multilingual');
  });

  it('does not match a message that shares only a word or two with the examples', () => {
    expect(match('How do I download my invoice?')).toBeNull();
    expect(match('how do I update my card')).toBeNull();
    expect(match('How do I reset my password?')).toBeNull();
    expect(match('hello')).toBeNull();
    expect(match('')).toBeNull();
  });

  it('reports the score and the example that matched', () => {
    const found = match('I was charged twice');
    expect(found?.example).toBe('I was charged twice');
    expect(found?.score).toBeCloseTo(1);
  });

  it('matches nothing when no intents are configured', () => {
    expect(createIntentMatcher([])('I was charged twice')).toBeNull();
  });
});
