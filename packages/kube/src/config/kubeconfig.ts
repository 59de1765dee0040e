// A kubeconfig as typed data. Parsing checks shape and references only; whether a file may be used
// (exec plugins, file paths, servers) is policy.ts's question, and how it becomes a connection is
// resolve.ts's.
import { parse, YAMLError } from 'yaml';
import { FieldReader, invalidConfig, isRecord, quote, type Problem } from './fields.ts';
import { readUser } from './user.ts';

export interface Kubeconfig {
  /** In file order, so `clusters[i]` in a message is the i-th entry of the file. */
  clusters: readonly KubeconfigCluster[];
  users: readonly KubeconfigUser[];
  contexts: readonly KubeconfigContext[];
  /** May name a context that does not exist; that only matters when it is used. */
  currentContext?: string;
}

export interface KubeconfigCluster {
  name: string;
  server: string;
  /** A file path. */
  certificateAuthority?: string;
  /** Decoded from base64: PEM text. */
  certificateAuthorityData?: string;
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
  disableCompression: boolean;
}

export interface KubeconfigExec {
  command: string;
  args: readonly string[];
  env: readonly { name: string; value: string }[];
  apiVersion?: string;
  installHint?: string;
  provideClusterInfo: boolean;
  interactiveMode?: string;
}

export interface KubeconfigAuthProvider {
  name: string;
  config: Readonly<Record<string, string>>;
}

export interface KubeconfigUser {
  name: string;
  /** File paths. */
  clientCertificate?: string;
  clientKey?: string;
  /** Decoded from base64: PEM text. */
  clientCertificateData?: string;
  clientKeyData?: string;
  token?: string;
  /** A file path. */
  tokenFile?: string;
  username?: string;
  password?: string;
  exec?: KubeconfigExec;
  authProvider?: KubeconfigAuthProvider;
  /** Impersonation: `as`, `as-uid`, `as-groups`, `as-user-extra`. */
  as?: string;
  asUid?: string;
  asGroups?: readonly string[];
  asUserExtra?: Readonly<Record<string, readonly string[]>>;
}

export interface KubeconfigContext {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
}

function parseYaml(text: string): unknown {
  try {
    // logLevel 'error': throw on errors, and never print warnings, whose excerpts quote the file
    return parse(text, { logLevel: 'error', uniqueKeys: true, maxAliasCount: 100 });
  } catch (err) {
    // the library's own message quotes the offending line, which may hold a credential
    let where = '';
    if (err instanceof YAMLError) {
      const at = err.linePos?.[0];
      where = at ? ` (${err.code} at line ${at.line}, column ${at.col})` : ` (${err.code})`;
    }
    throw invalidConfig([{ field: '', message: `kubeconfig is not valid YAML or JSON${where}` }]);
  }
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function checkUrl(options: {
  reader: FieldReader;
  key: 'server' | 'proxy-url';
  value: string | undefined;
}): void {
  const { reader, key, value } = options;
  if (value === undefined) return;
  const url = parseUrl(value);
  const schemes = key === 'server' ? ['https:', 'http:'] : ['http:', 'https:', 'socks5:'];
  if (url === undefined || !schemes.includes(url.protocol) || url.hostname === '') {
    const expected =
      key === 'server' ? 'an https:// or http://' : 'an http://, https:// or socks5://';
    reader.problem(key, `must be ${expected} URL`);
    return;
  }
  // a proxy may carry its own credentials; an API server URL with them would leak into logs
  if (key === 'server' && (url.username !== '' || url.password !== '')) {
    reader.problem(key, 'must not carry a user name or password');
  }
  if (url.search !== '' || url.hash !== '') {
    reader.problem(key, 'must not have a query or fragment');
  }
}

function readCluster(r: FieldReader, name: string): KubeconfigCluster | undefined {
  const server = r.requiredString('server');
  checkUrl({ reader: r, key: 'server', value: server });
  const proxyUrl = r.string('proxy-url');
  checkUrl({ reader: r, key: 'proxy-url', value: proxyUrl });
  const certificateAuthority = r.string('certificate-authority');
  const certificateAuthorityData = r.base64('certificate-authority-data');
  if (r.has('certificate-authority') && r.has('certificate-authority-data')) {
    r.problem('', 'sets both certificate-authority and certificate-authority-data; keep one');
  }
  const tlsServerName = r.string('tls-server-name');
  const insecureSkipTlsVerify = r.boolean('insecure-skip-tls-verify');
  const disableCompression = r.boolean('disable-compression');
  if (server === undefined) return undefined;
  return {
    name,
    server,
    insecureSkipTlsVerify,
    disableCompression,
    ...(certificateAuthority !== undefined ? { certificateAuthority } : {}),
    ...(certificateAuthorityData !== undefined ? { certificateAuthorityData } : {}),
    ...(tlsServerName !== undefined ? { tlsServerName } : {}),
    ...(proxyUrl !== undefined ? { proxyUrl } : {}),
  };
}

const namespacePattern = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function readContext(r: FieldReader, name: string): KubeconfigContext | undefined {
  const cluster = r.requiredString('cluster');
  const user = r.requiredString('user');
  const namespace = r.string('namespace');
  if (namespace !== undefined && !namespacePattern.test(namespace)) {
    r.problem(
      'namespace',
      'must be a namespace name (lowercase letters, digits and "-", at most 63)',
    );
  }
  if (cluster === undefined || user === undefined) return undefined;
  return { name, cluster, user, ...(namespace !== undefined ? { namespace } : {}) };
}

interface Named<T> {
  /** Every name read, even of entries with bad fields, so that references still resolve. */
  names: Set<string>;
  entries: { path: string; value: T }[];
}

/** Reads `clusters`, `users` or `contexts`: named entries, each with its fields under `inner`. */
function readNamed<T>(options: {
  top: FieldReader;
  list: 'clusters' | 'users' | 'contexts';
  inner: 'cluster' | 'user' | 'context';
  read: (reader: FieldReader, name: string) => T | undefined;
}): Named<T> {
  const { top, list, inner, read } = options;
  const seen = new Map<string, string>();
  const entries: { path: string; value: T }[] = [];
  for (const entry of top.objectList(list)) {
    const name = entry.requiredString('name');
    if (name !== undefined) {
      const first = seen.get(name);
      if (first === undefined) seen.set(name, entry.path);
      else entry.problem('name', `${quote(name)} is also the name of ${first}`);
    }
    const fields = entry.object(inner, { required: true });
    const value = fields && read(fields, name ?? '');
    if (value !== undefined) entries.push({ path: entry.path, value });
  }
  return { names: new Set(seen.keys()), entries };
}

function checkReferences(options: {
  problems: Problem[];
  contexts: Named<KubeconfigContext>;
  clusters: Named<KubeconfigCluster>;
  users: Named<KubeconfigUser>;
}): void {
  const { problems, contexts, clusters, users } = options;
  for (const { path, value } of contexts.entries) {
    if (!clusters.names.has(value.cluster)) {
      const field = `${path}.context.cluster`;
      const message = `${field} names cluster ${quote(value.cluster)}, which is not in clusters`;
      problems.push({ field, message });
    }
    if (!users.names.has(value.user)) {
      const field = `${path}.context.user`;
      const message = `${field} names user ${quote(value.user)}, which is not in users`;
      problems.push({ field, message });
    }
  }
}

const values = <T>(named: Named<T>): T[] => named.entries.map((e) => e.value);

/** Parses a kubeconfig (YAML or JSON); throws KubeError `InvalidConfig` listing every problem. */
export function parseKubeconfig(text: string): Kubeconfig {
  const root = parseYaml(text);
  if (root === null || root === undefined) {
    throw invalidConfig([{ field: '', message: 'kubeconfig is empty' }]);
  }
  if (!isRecord(root)) {
    throw invalidConfig([{ field: '', message: 'kubeconfig must be a YAML or JSON object' }]);
  }
  const problems: Problem[] = [];
  const top = new FieldReader({ problems, value: root, path: '' });
  const kind = top.string('kind');
  if (kind !== undefined && kind !== 'Config') {
    top.problem('kind', `is ${quote(kind)}; a kubeconfig has kind Config`);
  }
  const clusters = readNamed<KubeconfigCluster>({
    top,
    list: 'clusters',
    inner: 'cluster',
    read: readCluster,
  });
  const users = readNamed<KubeconfigUser>({ top, list: 'users', inner: 'user', read: readUser });
  const contexts = readNamed<KubeconfigContext>({
    top,
    list: 'contexts',
    inner: 'context',
    read: readContext,
  });
  const currentContext = top.string('current-context');
  checkReferences({ problems, contexts, clusters, users });
  if (problems.length > 0) throw invalidConfig(problems);
  return {
    clusters: values(clusters),
    users: values(users),
    contexts: values(contexts),
    ...(currentContext !== undefined ? { currentContext } : {}),
  };
}
