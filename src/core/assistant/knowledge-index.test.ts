import { describe, expect, it } from 'vitest';
import { KNOWLEDGE_BASE } from './assistant-fixtures.js';
import { createKnowledgeIndex } from './knowledge-index.js';

const index = createKnowledgeIndex(KNOWLEDGE_BASE);
const search = (text: string, language: string | null = null) => index.search(text, { language, threshold: 0.35 });

describe('knowledge retrieval confidence', () => {
  it('is high when the question names one article’s subject', () => {
    const found = search('reset password');
    expect(found?.article.id).toBe('reset-password');
    expect(found?.confidence).toBeGreaterThan(0.9);
  });

  it('does not care about accents, case or politeness', () => {
    expect(search('CONTRASENA OLVIDADA')?.article.id).toBe('restablecer-contrasena');
    const terse = search('reset password')?.confidence ?? 0;
    const polite = search('Hello! I was wondering if you could please help me to reset my password, thanks')?.confidence ?? 0;
    expect(polite).toBeCloseTo(terse, 5);
  });

  it('tolerates typos and other inflections', () => {
    expect(search('pasword reset')?.article.id).toBe('reset-password');
    expect(search('downloading invoice')?.article.id).toBe('download-invoices');
    expect(search('exporting projects')?.article.id).toBe('export-data');
    // Three letters from "export": beyond MiniSearch's fuzzy distance, within our derivation rule.
    expect(search('Wie exportiere ich meine Daten?')?.article.id).toBe('export-data');
  });

  it('drops as the question strays from what the article covers', () => {
    const onTopic = search('invoice download')?.confidence ?? 0;
    const partly = search('invoice for my accountant in another currency')?.confidence ?? 0;
    const offTopic = search('do you sell gift cards')?.confidence ?? 0;
    expect(onTopic).toBeGreaterThan(partly);
    expect(partly).toBeGreaterThan(offTopic);
    expect(offTopic).toBeLessThan(0.35);
    expect(search('weather in Paris tomorrow')).toBeNull();
  });

  it('stays within 0 and 1', () => {
    for (const text of ['password', 'slack slack slack slack', 'Settings Billing Invoices PDF', 'a', '']) {
      const found = search(text);
      if (found === null) continue;
      expect(found.confidence).toBeGreaterThanOrEqual(0);
      expect(found.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('prefers the conversation language, and only penalises other languages when it has articles', () => {
    expect(search('Slack', 'es')?.article.id).toBe('conectar-slack');
    expect(search('Slack', 'en')?.article.id).toBe('connect-slack');

    const englishOnly = createKnowledgeIndex(KNOWLEDGE_BASE.filter((a) => a.language === 'en'));
    const neutral = englishOnly.search('export CSV', { language: null, threshold: 0.35 });
    const spanish = englishOnly.search('export CSV', { language: 'es', threshold: 0.35 });
    expect(spanish?.confidence).toBeCloseTo(neutral?.confidence ?? -1, 10);
  });

  it('skips excluded articles', () => {
    const found = index.search('reset password', { language: 'en', threshold: 0.35, exclude: new Set(['reset-password']) });
    expect(found?.article.id).not.toBe('reset-password');
  });

  it('finds the article a previous reply quoted', () => {
    const article = KNOWLEDGE_BASE.find((a) => a.id === 'export-data');
    expect(index.articleIn(`Here's what I found:\n\n${article?.body ?? ''}`)).toBe('export-data');
    expect(index.articleIn('Hi! How can I help you today?')).toBeNull();
  });

  it('returns nothing for an empty base or a question without topic words', () => {
    expect(createKnowledgeIndex([]).search('reset password', { language: null, threshold: 0.35 })).toBeNull();
    expect(search('how do I do this?')).toBeNull();
  });
});
