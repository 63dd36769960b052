import { describe, expect, it } from 'vitest';
import { continuing } from './realtime-stream.js';

const records = (...seqs: number[]) => seqs.map((seq) => ({ seq }));

describe('continuing (the job\'s records, when they follow the published cursor)', () => {
  it('takes the records after the cursor when the first of them is the next seq', () => {
    expect(continuing(records(4, 5, 6), 3)).toEqual(records(4, 5, 6));
    expect(continuing(records(4, 5, 6), 4)).toEqual(records(5, 6));
  });
  it('is empty when everything is out already, or there is nothing', () => {
    expect(continuing(records(4, 5), 5)).toEqual([]);
    expect(continuing([], 7)).toEqual([]);
  });
  it('refuses when a record between the cursor and them is not out yet', () => {
    expect(continuing(records(5, 6), 3)).toBeNull();
  });
});
