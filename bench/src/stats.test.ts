import { describe, expect, it } from 'vitest';
import { median, percentile, ratio, table } from './stats.ts';

describe('percentile', () => {
  it.each([
    [[5, 1, 3], 50, 3],
    [[1, 2, 3, 4], 50, 2],
    [[1, 2, 3, 4], 100, 4],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99, 10],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9],
    [[7], 0, 7],
  ])('of %j at p%i is %d', (samples, p, expected) => {
    expect(percentile(samples, p)).toBe(expected);
  });

  it('is NaN without samples', () => {
    expect(median([])).toBeNaN();
  });
});

describe('formatting', () => {
  it('writes ratios and tables', () => {
    expect(ratio(105, 100)).toBe('1.05×');
    expect(table(['a', 'b'], [['1', '2']])).toBe('| a | b |\n| --- | --- |\n| 1 | 2 |');
  });
});
