// One context of a parsed kubeconfig → a ClusterConnection, after the policy has had its say. Files
// are read only here and only when the policy allows them.
import { isAbsolute, resolve } from 'node:path';
import type { ClusterConnection, Impersonation, TokenSource } from '../connection.ts';
import { invalidConfig, quote } from './fields.ts';
import { readConfigFile, readFileUtf8, type ReadFile } from './files.ts';
import type {
  Kubeconfig,
  KubeconfigCluster,
  KubeconfigContext,
  KubeconfigUser,
} from './kubeconfig.ts';
import { checkPolicy, type KubeconfigPolicy } from './policy.ts';
import { tokenFileSource } from './token-file.ts';

export interface KubeconfigConnectionOptions {
  /** The context to use; the file's current-context when absent. */
  context?: string;
  policy: KubeconfigPolicy;
  /** Reads a file the kubeconfig names (UTF-8); node:fs by default. */
  readFile?: ReadFile;
  /** Where relative file paths resolve from: the kubeconfig's own directory, as kubectl does. */
  baseDir?: string;
}

export interface ResolvedKubeconfig {
  connection: ClusterConnection;
  /** The context's namespace, or `default`. */
  namespace: string;
  contextName: string;
}

export interface KubeconfigContextSummary {
  name: string;
  cluster: string;
  user: string;
  /** The context's namespace, or `default`. */
  namespace: string;
  server: string | undefined;
  /** Whether this is the file's current-context. */
  current: boolean;
}

const fail = (field: string, message: string): never => {
  throw invalidConfig([{ field, message }]);
};

function pickContext(kubeconfig: Kubeconfig, requested: string | undefined): KubeconfigContext {
  const name = requested ?? kubeconfig.currentContext;
  if (name === undefined) {
    return fail(
      'current-context',
      'no context was chosen and the kubeconfig has no current-context',
    );
  }
  const context = kubeconfig.contexts.find((c) => c.name === name);
  if (context) return context;
  return requested === undefined
    ? fail(
        'current-context',
        `current-context names context ${quote(name)}, which is not in contexts`,
      )
    : fail('contexts', `context ${quote(name)} is not in contexts`);
}

const useInstead = 'use a token or a client certificate';

/** Credentials this client cannot use yet; refused honestly rather than half-supported. */
function checkSupported(user: KubeconfigUser, cluster: KubeconfigCluster): void {
  const owner = `user ${quote(user.name)}`;
  if (user.exec !== undefined) {
    const message =
      `${owner} uses an exec plugin; exec credential plugins are not supported by Binnacle's` +
      ` client — ${useInstead}`;
    fail('exec', message);
  }
  if (user.authProvider !== undefined) {
    const message =
      `${owner} uses the auth-provider ${quote(user.authProvider.name)}; auth providers are not` +
      ` supported by Binnacle's client — ${useInstead}`;
    fail('auth-provider', message);
  }
  if (cluster.proxyUrl?.startsWith('socks5:') === true) {
    const message =
      `cluster ${quote(cluster.name)} proxy-url is a socks5 proxy, which Binnacle's client does` +
      ` not support — use an http:// or https:// proxy`;
    fail('proxy-url', message);
  }
}

function impersonation(user: KubeconfigUser): Impersonation | undefined {
  if (user.as === undefined) return undefined;
  return {
    user: user.as,
    ...(user.asUid !== undefined ? { uid: user.asUid } : {}),
    ...(user.asGroups !== undefined ? { groups: user.asGroups } : {}),
    ...(user.asUserExtra !== undefined ? { extra: user.asUserExtra } : {}),
  };
}

/** Reads the files a context names, relative ones from `baseDir`. */
function fileReader(options: KubeconfigConnectionOptions) {
  const readFile = options.readFile ?? readFileUtf8;
  const locate = (what: string, path: string): string => {
    if (isAbsolute(path)) return path;
    if (options.baseDir !== undefined) return resolve(options.baseDir, path);
    const message = `${what} is a relative path (${quote(path)}) and no base directory was given`;
    return fail(what, message);
  };
  return {
    read: (what: string, path: string | undefined): string | undefined =>
      path === undefined ? undefined : readConfigFile({ readFile, path: locate(what, path), what }),
    tokenFile: (what: string, path: string | undefined): TokenSource | undefined =>
      path === undefined
        ? undefined
        : tokenFileSource({ readFile, path: locate(what, path), what }),
  };
}

function lookup(kubeconfig: Kubeconfig, context: KubeconfigContext) {
  const cluster = kubeconfig.clusters.find((c) => c.name === context.cluster);
  const user = kubeconfig.users.find((u) => u.name === context.user);
  // parseKubeconfig guarantees both; a hand-built Kubeconfig may not
  const named = `context ${quote(context.name)} names`;
  if (!cluster) {
    return fail('clusters', `${named} cluster ${quote(context.cluster)}, which is not in clusters`);
  }
  if (!user) return fail('users', `${named} user ${quote(context.user)}, which is not in users`);
  return { cluster, user };
}

/**
 * Resolves one context to a connection. Throws KubeError `InvalidConfig` when the policy refuses
 * anything the context uses (every refusal in one message), when a file cannot be read, or when the
 * user needs an exec plugin or auth-provider.
 */
export function connectionFromKubeconfig(
  kubeconfig: Kubeconfig,
  options: KubeconfigConnectionOptions,
): ResolvedKubeconfig {
  const context = pickContext(kubeconfig, options.context);
  const { cluster, user } = lookup(kubeconfig, context);
  const refusals = checkPolicy(kubeconfig, options.policy, { contexts: [context.name] });
  if (refusals.length > 0) {
    throw invalidConfig(
      refusals.map((r) => ({ field: `${r.entry} ${r.field}`, message: r.message })),
    );
  }
  checkSupported(user, cluster);

  // only now, with the policy satisfied, may files be read
  const files = fileReader(options);
  const ofCluster = `cluster ${quote(cluster.name)}`;
  const ofUser = `user ${quote(user.name)}`;
  const ca =
    cluster.certificateAuthorityData ??
    files.read(`${ofCluster} certificate-authority`, cluster.certificateAuthority);
  const cert =
    user.clientCertificateData ??
    files.read(`${ofUser} client-certificate`, user.clientCertificate);
  const key = user.clientKeyData ?? files.read(`${ofUser} client-key`, user.clientKey);
  // as in client-go, an inline token wins over tokenFile
  const token = user.token ?? files.tokenFile(`${ofUser} tokenFile`, user.tokenFile);
  const impersonate = impersonation(user);

  // disable-compression has no counterpart in ClusterConnection; the transport decides compression
  const connection: ClusterConnection = {
    server: cluster.server.replace(/\/+$/, ''),
    ...(ca !== undefined ? { ca } : {}),
    ...(cert !== undefined ? { cert } : {}),
    ...(key !== undefined ? { key } : {}),
    ...(token !== undefined ? { token } : {}),
    ...(user.username !== undefined ? { username: user.username } : {}),
    ...(user.password !== undefined ? { password: user.password } : {}),
    ...(cluster.tlsServerName !== undefined ? { tlsServerName: cluster.tlsServerName } : {}),
    ...(cluster.insecureSkipTlsVerify ? { insecureSkipTlsVerify: true } : {}),
    ...(cluster.proxyUrl !== undefined ? { proxyUrl: cluster.proxyUrl } : {}),
    ...(impersonate ? { impersonate } : {}),
  };
  return { connection, namespace: context.namespace ?? 'default', contextName: context.name };
}

/** Every context with what it points at, for a picker; no credentials. */
export function listContexts(kubeconfig: Kubeconfig): KubeconfigContextSummary[] {
  return kubeconfig.contexts.map((context) => ({
    name: context.name,
    cluster: context.cluster,
    user: context.user,
    namespace: context.namespace ?? 'default',
    server: kubeconfig.clusters.find((c) => c.name === context.cluster)?.server,
    current: context.name === kubeconfig.currentContext,
  }));
}
