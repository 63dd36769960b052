import { describe, expect, it } from 'vitest';
import { countTurnsWithoutProgress, isRepeatedQuestion, isTurnWithoutProgress } from './count-progress.js';

describe('turns without progress', () => {
  it('is a turn without progress when there was no confident answer, or the question was asked before', () => {
    expect(isTurnWithoutProgress({ confidentAnswer: true, repeated: false })).toBe(false);
    expect(isTurnWithoutProgress({ confidentAnswer: false, repeated: false })).toBe(true);
    expect(isTurnWithoutProgress({ confidentAnswer: true, repeated: true })).toBe(true);
    expect(isTurnWithoutProgress({ confidentAnswer: false, repeated: true })).toBe(true);
  });

  it('counts consecutive turns without progress, starts again at 0 on progress, and lets small talk pass', () => {
    expect(countTurnsWithoutProgress(2, { confidentAnswer: false, repeated: false, smallTalk: false })).toBe(3);
    expect(countTurnsWithoutProgress(2, { confidentAnswer: true, repeated: true, smallTalk: false })).toBe(3);
    expect(countTurnsWithoutProgress(2, { confidentAnswer: true, repeated: false, smallTalk: false })).toBe(0);
    expect(countTurnsWithoutProgress(2, { confidentAnswer: false, repeated: false, smallTalk: true })).toBe(2);
  });

  it('hears a question asked again after normalising case, punctuation, accents and word forms', () => {
    const earlier = ['How do I reset my password?', '¿Cómo descargo mis facturas?'];
    expect(isRepeatedQuestion('how do i reset my password??', earlier)).toBe(true);
    expect(isRepeatedQuestion('HOW DO I RESET MY PASSWORD', earlier)).toBe(true);
    expect(isRepeatedQuestion('como descargo mis facturas', earlier)).toBe(true);
    expect(isRepeatedQuestion('How do I change my plan?', earlier)).toBe(false);
    expect(isRepeatedQuestion('How do I reset my password?', [])).toBe(false);
  });
});
