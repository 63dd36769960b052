import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AssistantConfig } from '../../contract/config.js';
import { createAssistant, type AssistantTurnInput, type TranscriptLine } from './assistant.js';
import { ASSISTANT_CONFIG, KNOWLEDGE_BASE } from './assistant-fixtures.js';

// Words that exercise every detector: knowledge terms, person requests, never-automate topics,
// greetings, feedback, frustration, shouting and punctuation, in several languages.
const VOCABULARY = [
  'how', 'do', 'I', 'reset', 'my', 'password', 'invoice', 'facturas', 'contraseña', 'mot de passe', 'Passwort',
  'senha', 'slack', 'card', 'declined', 'export', 'CSV', 'talk to a human', 'quiero hablar con una persona',
  'refund', 'reembolso', 'cancel', 'kündigen', 'legal', 'hola', 'hi', 'thanks', 'merci', 'obrigado', 'bonjour',
  "that didn't help", 'no me sirve', 'still not working', 'useless', 'RIDICULOUS', 'NOW', '!!!', '???', '¿', '…',
  'charged twice', 'the app crashes', '2fa', 'ß', 'çã', '👍', '.', ',', 'n\'t', '-', '',
];

const sentence = fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 12 }).map((parts) => parts.join(' '));
const text = fc.oneof(sentence, fc.string({ maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 40 }));
const line: fc.Arbitrary<TranscriptLine> = fc.record({
  author: fc.constantFrom('contact', 'assistant', 'user', 'system'),
  body: fc.oneof(text, fc.constantFrom(...KNOWLEDGE_BASE.map((a) => a.body))),
});
const input: fc.Arbitrary<AssistantTurnInput> = fc.record({
  text,
  history: fc.array(line, { maxLength: 6 }),
  knownLanguage: fc.option(fc.constantFrom('en', 'es', 'pt-BR', 'fr', 'de', 'xx', ''), { nil: null }),
  turnsWithoutProgress: fc.nat({ max: 6 }),
});
const config: fc.Arbitrary<AssistantConfig> = fc.record({
  confidenceThreshold: fc.double({ min: 0, max: 1, noNaN: true }),
  maxTurnsWithoutProgress: fc.integer({ min: 1, max: 5 }),
  neverAutomate: fc.subarray(['refund', 'legal', 'cancellation', 'data deletion', 'reembolso', 'x']),
  intents: fc.constant(ASSISTANT_CONFIG.intents),
});

describe('assistant properties', () => {
  it('never throws, keeps confidence in [0, 1], and replies exactly when no hard trigger is present', () => {
    fc.assert(
      fc.property(config, fc.array(input, { minLength: 1, maxLength: 5 }), (assistantConfig, turns) => {
        const assistant = createAssistant({ knowledge: KNOWLEDGE_BASE, assistant: assistantConfig });
        for (const turnInput of turns) {
          const turn = assistant.respond(turnInput);
          const hard = turn.triggers.filter((t) => !t.soft);

          expect(turn.reply === null).toBe(hard.length > 0);
          for (const found of [turn.answer, turn.bestMatch ?? null]) {
            if (found === null) continue;
            expect(found.confidence).toBeGreaterThanOrEqual(0);
            expect(found.confidence).toBeLessThanOrEqual(1);
          }
          if (turn.answer !== null) expect(turn.answer.confidence).toBeGreaterThanOrEqual(assistantConfig.confidenceThreshold);

          // Hard triggers come first, and intent_or_keyword is always offered, once.
          const firstSoft = turn.triggers.findIndex((t) => t.soft);
          expect(turn.triggers.slice(firstSoft).every((t) => t.soft)).toBe(true);
          expect(turn.triggers.filter((t) => t.trigger === 'intent_or_keyword')).toHaveLength(1);

          expect(Number.isInteger(turn.turnsWithoutProgress) && turn.turnsWithoutProgress >= 0).toBe(true);
          if (hard.length > 0) expect(turn.turnsWithoutProgress).toBe(turnInput.turnsWithoutProgress);
          if (turnInput.knownLanguage !== null && turnInput.knownLanguage !== '') expect(turn.language).toBe(turnInput.knownLanguage);
        }
      }),
      { seed: 20_240_611, numRuns: 200 },
    );
  });

  it('is deterministic: the same input gives the same turn', () => {
    const assistant = createAssistant({ knowledge: KNOWLEDGE_BASE, assistant: ASSISTANT_CONFIG });
    fc.assert(
      fc.property(input, (turnInput) => {
        expect(assistant.respond(turnInput)).toEqual(assistant.respond(turnInput));
      }),
      { seed: 7, numRuns: 150 },
    );
  });
});
