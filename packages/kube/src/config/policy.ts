// What a kubeconfig may make the gateway do. A person's own ~/.kube/config may run plugins and read
// files; an uploaded one runs on the gateway's machine with the gateway's reach, so by default it
// may do neither, nor point the gateway at metadata or link-local addresses.
import { internalAddressReason } from './addresses.ts';
import { invalidConfig, quote } from './fields.ts';
import type {
  Kubeconfig,
  KubeconfigCluster,
  KubeconfigContext,
  KubeconfigUser,
} from './kubeconfig.ts';

export interface KubeconfigPolicy {
  /** Users with `exec` credential plugins (they run a command). */
  allowExec: boolean;
  /** Users with a legacy `auth-provider` (gcp, azure, oidc). */
  allowAuthProvider: boolean;
  /** certificate-authority, client-certificate, client-key and tokenFile: local files. */
  allowFilePaths: boolean;
  allowInsecureSkipTlsVerify: boolean;
  /** Clusters with a `proxy-url` (the proxy, not the gateway, would choose where to connect). */
  allowProxyUrl: boolean;
  /** Users with `as`, `as-groups`, `as-uid` or `as-user-extra` (impersonation of their own). */
  allowImpersonation: boolean;
  /** Says why a server or proxy URL is refused; undefined allows it. Absent allows every URL. */
  allowServer?: (url: URL) => string | undefined;
}

/** For kubeconfigs people upload: nothing that reaches beyond the API server named in the file. */
export const uploadPolicy: Readonly<KubeconfigPolicy> = Object.freeze({
  allowExec: false,
  allowAuthProvider: false,
  allowFilePaths: false,
  allowInsecureSkipTlsVerify: false,
  allowProxyUrl: false,
  allowImpersonation: false,
  allowServer: (url: URL) => internalAddressReason(url.hostname),
});

/** For a person's own kubeconfig on their own machine: everything kubectl would do. */
export const localPolicy: Readonly<KubeconfigPolicy> = Object.freeze({
  allowExec: true,
  allowAuthProvider: true,
  allowFilePaths: true,
  allowInsecureSkipTlsVerify: true,
  allowProxyUrl: true,
  allowImpersonation: true,
});

export interface PolicyRefusal {
  /** The first checked context that uses the entry; absent when no context uses it. */
  context?: string;
  /** e.g. `users[0] "alice"`. */
  entry: string;
  /** The kubeconfig field refused, e.g. `exec`, `tokenFile`, `server`. */
  field: string;
  message: string;
}

const adminAllows = 'unless an administrator allows them';

/** A refusal before it knows its entry and context. */
interface Found {
  field: string;
  message: string;
}

function fileRefusal(options: {
  owner: string;
  field: string;
  path: string;
  embed: string;
}): string {
  const { owner, field, path, embed } = options;
  return (
    `${owner} reads ${field} from the file ${quote(path)}; file paths are refused ${adminAllows}` +
    ` — embed it as ${embed} instead`
  );
}

function urlRefusal(policy: KubeconfigPolicy, value: string | undefined): string | undefined {
  if (value === undefined || policy.allowServer === undefined) return undefined;
  try {
    return policy.allowServer(new URL(value));
  } catch {
    return 'it is not a URL'; // parseKubeconfig checks URLs; this is for hand-built objects
  }
}

function clusterRefusals(cluster: KubeconfigCluster, policy: KubeconfigPolicy): Found[] {
  const owner = `cluster ${quote(cluster.name)}`;
  const out: Found[] = [];
  const serverReason = urlRefusal(policy, cluster.server);
  if (serverReason !== undefined) {
    out.push({ field: 'server', message: `${owner} server is refused: ${serverReason}` });
  }
  const proxyReason = urlRefusal(policy, cluster.proxyUrl);
  if (!policy.allowProxyUrl && cluster.proxyUrl !== undefined) {
    const message =
      `${owner} sets proxy-url; proxies are refused in uploaded kubeconfigs, because the proxy` +
      ` and not the gateway would choose where to connect — remove proxy-url`;
    out.push({ field: 'proxy-url', message });
  } else if (proxyReason !== undefined) {
    out.push({ field: 'proxy-url', message: `${owner} proxy-url is refused: ${proxyReason}` });
  }
  if (!policy.allowFilePaths && cluster.certificateAuthority !== undefined) {
    const path = cluster.certificateAuthority;
    const field = 'certificate-authority';
    out.push({
      field,
      message: fileRefusal({ owner, field, path, embed: 'certificate-authority-data' }),
    });
  }
  if (!policy.allowInsecureSkipTlsVerify && cluster.insecureSkipTlsVerify) {
    const message =
      `${owner} sets insecure-skip-tls-verify; skipping TLS verification is refused unless an` +
      ` administrator allows it — set certificate-authority-data instead`;
    out.push({ field: 'insecure-skip-tls-verify', message });
  }
  return out;
}

function userRefusals(user: KubeconfigUser, policy: KubeconfigPolicy): Found[] {
  const owner = `user ${quote(user.name)}`;
  const out: Found[] = [];
  if (!policy.allowExec && user.exec !== undefined) {
    const command = quote(user.exec.command);
    out.push({
      field: 'exec',
      message: `${owner} uses an exec plugin (command ${command}); exec plugins are refused ${adminAllows}`,
    });
  }
  if (!policy.allowAuthProvider && user.authProvider !== undefined) {
    const name = quote(user.authProvider.name);
    out.push({
      field: 'auth-provider',
      message: `${owner} uses the auth-provider ${name}; auth providers are refused ${adminAllows}`,
    });
  }
  if (!policy.allowImpersonation) {
    const fields = [
      ['as', user.as],
      ['as-uid', user.asUid],
      ['as-groups', user.asGroups],
      ['as-user-extra', user.asUserExtra],
    ] as const;
    for (const [field, value] of fields) {
      if (value === undefined) continue;
      const message =
        `${owner} sets ${field}; impersonation in an uploaded kubeconfig is refused — the` +
        ` gateway impersonates people itself (identity mode impersonate), remove ${field}`;
      out.push({ field, message });
    }
  }
  if (!policy.allowFilePaths) {
    const files = [
      ['client-certificate', user.clientCertificate, 'client-certificate-data'],
      ['client-key', user.clientKey, 'client-key-data'],
      ['tokenFile', user.tokenFile, 'token'],
    ] as const;
    for (const [field, path, embed] of files) {
      if (path !== undefined) {
        out.push({ field, message: fileRefusal({ owner, field, path, embed }) });
      }
    }
  }
  return out;
}

/**
 * Everything in `kubeconfig` that `policy` refuses, one refusal per entry and field. With
 * `contexts`, only the clusters and users those contexts use are checked; without, every entry of
 * the file.
 */
export function checkPolicy(
  kubeconfig: Kubeconfig,
  policy: KubeconfigPolicy,
  options: { contexts?: readonly string[] } = {},
): PolicyRefusal[] {
  const scoped = (options.contexts ?? kubeconfig.contexts.map((c) => c.name)).map((name) => {
    const context = kubeconfig.contexts.find((c) => c.name === name);
    if (context) return context;
    const message = `context ${quote(name)} is not in contexts`;
    throw invalidConfig([{ field: 'contexts', message }]);
  });
  const entries = [
    ...kubeconfig.clusters.map((cluster, index) => ({
      entry: `clusters[${index}] ${quote(cluster.name)}`,
      usedBy: (c: KubeconfigContext) => c.cluster === cluster.name,
      check: () => clusterRefusals(cluster, policy),
    })),
    ...kubeconfig.users.map((user, index) => ({
      entry: `users[${index}] ${quote(user.name)}`,
      usedBy: (c: KubeconfigContext) => c.user === user.name,
      check: () => userRefusals(user, policy),
    })),
  ];
  const refusals: PolicyRefusal[] = [];
  for (const { entry, usedBy, check } of entries) {
    const context = scoped.find(usedBy)?.name;
    if (context === undefined && options.contexts !== undefined) continue;
    for (const found of check()) {
      refusals.push({ ...(context !== undefined ? { context } : {}), entry, ...found });
    }
  }
  return refusals;
}
