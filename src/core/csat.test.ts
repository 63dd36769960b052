import { describe, expect, it } from 'vitest';
import { csatGroupOf, decideRating, isAwaitingRating, summarizeCsat } from './csat.js';

describe('decideRating', () => {
  it('refuses a conversation that is not resolved', () => {
    for (const status of ['bot', 'queued', 'assigned', 'waiting_on_customer'] as const) {
      expect(decideRating({ status, resolutionSeq: 4, csatResolutionSeq: null })).toEqual({ outcome: 'not_resolved' });
    }
  });

  it('accepts the first rating of a resolution, resolved or closed', () => {
    expect(decideRating({ status: 'resolved', resolutionSeq: 4, csatResolutionSeq: null })).toEqual({ outcome: 'accept', resolutionSeq: 4 });
    expect(decideRating({ status: 'closed', resolutionSeq: 4, csatResolutionSeq: null })).toEqual({ outcome: 'accept', resolutionSeq: 4 });
  });

  it('refuses a second rating of the same resolution, and accepts one after a reopen and a new resolution', () => {
    expect(decideRating({ status: 'resolved', resolutionSeq: 4, csatResolutionSeq: 4 })).toEqual({ outcome: 'already_rated', resolutionSeq: 4 });
    expect(decideRating({ status: 'resolved', resolutionSeq: 9, csatResolutionSeq: 4 })).toEqual({ outcome: 'accept', resolutionSeq: 9 });
  });

  it('refuses a request made for an earlier resolution (a link sent before a reopen)', () => {
    expect(decideRating({ status: 'resolved', resolutionSeq: 9, csatResolutionSeq: null }, 4)).toEqual({ outcome: 'stale', resolutionSeq: 9 });
    expect(decideRating({ status: 'resolved', resolutionSeq: 9, csatResolutionSeq: null }, 9)).toEqual({ outcome: 'accept', resolutionSeq: 9 });
  });

  it('names a resolution made before resolutions were numbered 0, rated once like any other', () => {
    expect(decideRating({ status: 'resolved', resolutionSeq: null, csatResolutionSeq: null })).toEqual({ outcome: 'accept', resolutionSeq: 0 });
    expect(decideRating({ status: 'resolved', resolutionSeq: null, csatResolutionSeq: 0 }).outcome).toBe('already_rated');
  });

  it('asks the customer exactly while a rating would be accepted', () => {
    expect(isAwaitingRating({ status: 'resolved', resolutionSeq: 9, csatResolutionSeq: 4 })).toBe(true);
    expect(isAwaitingRating({ status: 'resolved', resolutionSeq: 9, csatResolutionSeq: 9 })).toBe(false);
    expect(isAwaitingRating({ status: 'assigned', resolutionSeq: 9, csatResolutionSeq: 4 })).toBe(false);
  });
});

describe('csatGroupOf', () => {
  it('is AI-only when no person ever had the conversation', () => {
    expect(csatGroupOf({ handedOffAt: null, firstHumanResponseAt: null, ownerId: null })).toBe('ai_only');
  });
  it('is handed off after a handoff, a person’s answer, or with a person owning it', () => {
    expect(csatGroupOf({ handedOffAt: 1, firstHumanResponseAt: null, ownerId: null })).toBe('handed_off');
    expect(csatGroupOf({ handedOffAt: null, firstHumanResponseAt: 2, ownerId: null })).toBe('handed_off');
    expect(csatGroupOf({ handedOffAt: null, firstHumanResponseAt: null, ownerId: 'ana' })).toBe('handed_off');
  });
});

describe('summarizeCsat', () => {
  it('averages handed-off and AI-only ratings apart', () => {
    expect(
      summarizeCsat([
        { score: 5, handedOff: true },
        { score: 2, handedOff: true },
        { score: 4, handedOff: false },
        { score: 3, handedOff: true },
      ]),
    ).toEqual({ handedOff: { average: 3.33, count: 3 }, aiOnly: { average: 4, count: 1 } });
  });
  it('says null, not 0, where nobody rated', () => {
    expect(summarizeCsat([])).toEqual({ handedOff: { average: null, count: 0 }, aiOnly: { average: null, count: 0 } });
  });
});
