// How to reach one cluster: what a kubeconfig context or the in-cluster environment resolves to.
// Credentials live here and nowhere else; nothing in this package prints or returns them.

/** Who the API server should treat the caller as (Impersonate-* headers). */
export interface Impersonation {
  user: string;
  uid?: string;
  groups?: readonly string[];
  extra?: Readonly<Record<string, readonly string[]>>;
}

/** A source of bearer tokens; called per request so that rotated tokens are picked up. */
export type TokenSource = () => string | Promise<string>;

export interface ClusterConnection {
  /** API server base URL, e.g. https://127.0.0.1:6443 (no trailing slash). */
  server: string;
  /** PEM CA bundle to trust; the system roots when absent. */
  ca?: string;
  /** PEM client certificate and key. */
  cert?: string;
  key?: string;
  /** A fixed bearer token, or a source that is asked per request. */
  token?: string | TokenSource;
  /** Basic auth (kubeconfig username/password). */
  username?: string;
  password?: string;
  /** TLS server name to verify instead of the host of `server`. */
  tlsServerName?: string;
  /** Skip TLS verification; refused for uploaded kubeconfigs unless a policy allows it. */
  insecureSkipTlsVerify?: boolean;
  /** An HTTP(S) proxy every request goes through. */
  proxyUrl?: string;
  impersonate?: Impersonation;
}
