import { describe, expect, it } from 'vitest';
import { detectSmallTalk } from './detect-small-talk.js';

describe('detectSmallTalk', () => {
  it('recognises greetings in en/es/fr/de/pt', () => {
    for (const text of ['hi', 'Hi there!', 'hello', 'good morning', 'hola', 'Buenos días', 'bonjour', 'salut', 'Hallo', 'Guten Tag', 'olá', 'oi, bom dia', '👋', '']) {
      expect(detectSmallTalk(text), text).toBe('greeting');
    }
  });

  it('recognises thanks, goodbyes and acknowledgements', () => {
    for (const text of ['thanks!', 'thank you so much', 'muchas gracias', 'merci beaucoup', 'vielen Dank', 'obrigada']) {
      expect(detectSmallTalk(text), text).toBe('thanks');
    }
    for (const text of ['bye', 'adiós', 'au revoir', 'tschüss', 'tchau']) expect(detectSmallTalk(text), text).toBe('farewell');
    for (const text of ['ok', 'perfecto', "d'accord", 'perfeito']) expect(detectSmallTalk(text), text).toBe('acknowledgement');
  });

  it('is not small talk as soon as there is a topic word', () => {
    for (const text of ['hi, my invoice is wrong', 'hola, no puedo entrar', 'bonjour, mot de passe oublié', 'thanks, but the export failed']) {
      expect(detectSmallTalk(text), text).toBeNull();
    }
  });
});
