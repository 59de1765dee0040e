import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // One real PostgreSQL and one real Kubernetes cluster for the run (TEST_KUBECONFIG when given);
    // each test file gets a database and a namespace of its own.
    globalSetup: ['test/postgres.ts', '@binnacle/testcluster/vitest/global-setup'],
    hookTimeout: 180_000,
  },
});
