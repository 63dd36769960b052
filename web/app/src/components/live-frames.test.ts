import { describe, expect, it } from 'vitest';
import type { Frame } from '../state/inbox.js';
import { publishFrames, subscribeFrames } from './live-frames.js';

const typing: Frame = { seq: 4, type: 'typing', conversationId: 'c1', data: { author: 'contact' } };

describe('live frames', () => {
  it('hands each batch to every subscriber until it unsubscribes', () => {
    const a: (readonly Frame[])[] = [];
    const b: (readonly Frame[])[] = [];
    const stopA = subscribeFrames((frames) => a.push(frames));
    const stopB = subscribeFrames((frames) => b.push(frames));
    publishFrames([typing]);
    stopA();
    publishFrames([typing, typing]);
    stopB();
    publishFrames([typing]);
    expect(a.map((batch) => batch.length)).toEqual([1]);
    expect(b.map((batch) => batch.length)).toEqual([1, 2]);
  });
});
