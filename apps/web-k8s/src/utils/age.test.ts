import { describe, expect, it } from 'vitest';
import { formatAge } from './age';

const now = Date.parse('2024-05-10T12:00:00Z');
const ago = (ms: number) => new Date(now - ms).toISOString();
const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('formatAge', () => {
  it.each([
    [ago(0), '0s'],
    [ago(45 * s), '45s'],
    [ago(5 * m), '5m'],
    [ago(5 * m + 30 * s), '5m30s'],
    [ago(42 * m), '42m'],
    [ago(3 * h), '3h'],
    [ago(3 * h + 12 * m), '3h12m'],
    [ago(20 * h), '20h'],
    [ago(2 * d), '2d'],
    [ago(2 * d + 5 * h), '2d5h'],
    [ago(400 * d), '400d'],
    // A clock behind the server's never shows a negative age.
    [new Date(now + 10 * s).toISOString(), '0s'],
    [null, ''],
    ['', ''],
    ['not a date', ''],
  ])('%s → %s', (timestamp, expected) => {
    expect(formatAge(timestamp, now)).toBe(expected);
  });
});
