import { expect, test } from 'vitest';
import { mapLimit } from './limit.ts';

test('mapLimit keeps the order and never runs more than the limit at once', async () => {
  let running = 0;
  let most = 0;
  const results = await mapLimit([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
    running++;
    most = Math.max(most, running);
    await new Promise((resolve) => setTimeout(resolve, n));
    running--;
    return n * 10;
  });
  expect(results).toEqual([50, 10, 40, 20, 30, 0, 60]);
  expect(most).toBe(3);
});

test('mapLimit of nothing is nothing', async () => {
  expect(await mapLimit([], 8, () => Promise.resolve(1))).toEqual([]);
});
