import { describe, expect, it } from 'vitest';
import { uuidv7 } from './runtime.js';

const FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
  it('is a version 7, RFC 9562 variant UUID carrying the millisecond it was made', () => {
    const at = Date.UTC(2026, 10, 26, 8, 0, 0, 123);
    const id = uuidv7(at);
    expect(id).toMatch(FORMAT);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('sorts as text in the order of the milliseconds it was made in', () => {
    const ids = [0, 1, 255, 256, 65_535, 2 ** 32 - 1, 2 ** 32, Date.UTC(2026, 0, 1), Date.UTC(2100, 0, 1)].map((ms) => uuidv7(ms));
    expect([...ids].sort()).toEqual(ids);
  });

  it('does not repeat, within one millisecond either', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 100_000; i++) ids.add(uuidv7(1_764_144_000_000));
    expect(ids.size).toBe(100_000);
    for (const id of [...ids].slice(0, 1_000)) expect(id).toMatch(FORMAT);
  });
});
