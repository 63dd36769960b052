import { describe, expect, it } from 'vitest';
import { parseDurationSeconds } from './duration.js';

describe('parseDurationSeconds', () => {
  it('reads each unit of docs/configuration.md', () => {
    expect(parseDurationSeconds('30s')).toBe(30);
    expect(parseDurationSeconds('5m')).toBe(300);
    expect(parseDurationSeconds('2h')).toBe(7200);
    expect(parseDurationSeconds('3d')).toBe(259_200);
  });
  it('refuses anything else', () => {
    expect(() => parseDurationSeconds('5 minutes')).toThrow(/not a duration/);
    expect(() => parseDurationSeconds('-5m')).toThrow();
  });
});
