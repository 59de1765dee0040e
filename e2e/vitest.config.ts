import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // The test cluster: TEST_KUBECONFIG when set (make test), else one started for the run.
    globalSetup: ['@binnacle/testcluster/vitest/global-setup'],
    // A person's path through real processes: one file at a time, steps in order, patient waits.
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
});
