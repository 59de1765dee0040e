import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    globalSetup: ['@binnacle/testcluster/vitest/global-setup'],
    hookTimeout: 900_000,
    testTimeout: 60_000,
    // One test file restarts the shared cluster's API server: files run one at a time.
    fileParallelism: false,
  },
});
