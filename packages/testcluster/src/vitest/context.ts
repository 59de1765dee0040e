// What the global setup hands to every test file (vitest's provide/inject).
declare module 'vitest' {
  export interface ProvidedContext {
    /** Cluster-admin kubeconfig of the shared test cluster. */
    kubeconfig: string;
    /** Kubeconfig of a user who may only view the demo namespace. */
    viewerKubeconfig: string;
    /** Folder of the test-cluster binaries (kubectl among them). */
    binDir: string;
  }
}

export {};
