import { describe, expect, it } from 'vitest';
import { worthTelling } from './realtime-stream.js';

describe('which queue moves a waiting customer hears of', () => {
  it('every move near the front, entering and leaving the line', () => {
    expect(worthTelling(3, 2)).toBe(true);
    expect(worthTelling(21, 20)).toBe(true);
    expect(worthTelling(null, 57)).toBe(true);
    expect(worthTelling(4, null)).toBe(true);
    expect(worthTelling(5, 5)).toBe(false);
    expect(worthTelling(null, null)).toBe(false);
  });

  it('further back, only when the position enters another block of ten', () => {
    expect(worthTelling(35, 34)).toBe(false);
    expect(worthTelling(31, 30)).toBe(true);
    expect(worthTelling(30, 29)).toBe(false);
    expect(worthTelling(500, 499)).toBe(false);
    expect(worthTelling(491, 490)).toBe(true);
    // A jump back (an urgent conversation went ahead) crosses a block too.
    expect(worthTelling(30, 31)).toBe(true);
  });
});
