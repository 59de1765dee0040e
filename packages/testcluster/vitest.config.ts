import { defineConfig } from 'vitest/config';

// The test bed's own tests start a cluster of their own; files run one at a time.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    exclude: ['src/**/*.shared.test.ts'],
    fileParallelism: false,
    hookTimeout: 900_000,
  },
});
