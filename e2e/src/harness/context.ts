// What @binnacle/testcluster's global setup provides to the test files (vitest provide/inject).
declare module 'vitest' {
  export interface ProvidedContext {
    /** Cluster-admin kubeconfig of the test cluster. */
    kubeconfig: string;
  }
}

export {};
