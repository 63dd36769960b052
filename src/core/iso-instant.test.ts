import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoInstant } from './iso-instant.js';

describe('isoInstant', () => {
  it('writes what Date#toISOString writes, for any instant', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          // Whole milliseconds of the years it computes itself, and their edges.
          fc.integer({ min: 0, max: 253_402_300_799_999 }),
          fc.constantFrom(0, 951_782_400_000, 951_868_799_999, 4_107_542_400_000, 253_402_300_799_999, 253_402_300_800_000),
          // Everything else goes through Date: before 1970, past 9999, fractions.
          fc.integer({ min: -8_640_000_000_000_000, max: 8_640_000_000_000_000 }),
          fc.double({ min: -1e15, max: 1e15, noNaN: true }),
        ),
        (at) => {
          expect(isoInstant(at)).toBe(new Date(at).toISOString());
        },
      ),
      { seed: 20_261_126, numRuns: 20_000 },
    );
  });

  it('throws as Date does for an instant that is not a time', () => {
    expect(() => isoInstant(Number.NaN)).toThrow(RangeError);
  });
});
