// From an uploaded kubeconfig to the clusters it would become: which contexts, under which names,
// with which credentials, and everything the policy refuses, entry by entry. No I/O: the routes
// check names against the store and write.
import { isIP } from 'node:net';
import {
  checkPolicy,
  connectionFromKubeconfig,
  KubeError,
  listContexts,
  parseKubeconfig,
  uploadPolicy,
  type Kubeconfig,
  type KubeconfigPolicy,
  type PolicyRefusal,
} from '@binnacle/kube';
import type { ClusterImportPolicy } from '../../config/clusters.js';
import { HttpError } from '../errors/index.js';
import type { ClusterAddresses } from './addresses/policy.js';
import { storable, type StoredCredential } from './credential.js';
import { isClusterName, nameFromContext, nameRule } from './names.js';

export interface Refusal {
  context: string;
  /** The kubeconfig entry, e.g. `users[0] "alice"`. */
  entry: string;
  /** The refused field, e.g. `exec`, `client-key`, `server`. */
  field: string;
  message: string;
}

export interface ContextPreview {
  name: string;
  server: string | null;
  namespace: string;
  current: boolean;
  /** The cluster name an import gives it by default; null when the context name gives none. */
  suggestedName: string | null;
  refusals: Refusal[];
}

export interface PlannedCluster {
  context: string;
  name: string;
  server: string;
  credential: StoredCredential;
}

/**
 * Upload policy with an administrator's relaxations; file paths, proxies and impersonation are never
 * allowed. Servers follow the address rules: https only, no internal IP literal (names are checked
 * after resolution, see `addressRefusals`).
 */
export function importPolicy(
  relaxed: ClusterImportPolicy,
  addresses: ClusterAddresses,
): KubeconfigPolicy {
  return {
    ...uploadPolicy,
    allowExec: relaxed.allowExec,
    allowAuthProvider: relaxed.allowAuthProvider,
    allowInsecureSkipTlsVerify: relaxed.allowInsecureSkipTlsVerify,
    allowFilePaths: false,
    allowProxyUrl: false,
    allowImpersonation: false,
    // IP literals follow the address rules (and their allowances); the upload policy's own check
    // still refuses metadata host names such as metadata.google.internal
    allowServer: (url) =>
      addresses.literalRefusal(url) ??
      (isIP(url.hostname.replace(/^\[(.*)\]$/, '$1')) === 0
        ? uploadPolicy.allowServer?.(url)
        : undefined),
  };
}

/** Parses the upload; a file that is not a kubeconfig is a 400 listing every problem. */
export function readKubeconfig(text: string): Kubeconfig {
  try {
    return parseKubeconfig(text);
  } catch (err) {
    if (!(err instanceof KubeError) || err.reason !== 'InvalidConfig') throw err;
    const problems = (err.details?.causes ?? []).map((cause) => ({
      field: cause.field ?? '',
      message: cause.message ?? '',
    }));
    throw HttpError.badRequest(`This kubeconfig cannot be read: ${err.message}`, {
      details: {
        problems,
      },
    });
  }
}

const quote = (name: string): string =>
  JSON.stringify(name.length > 100 ? `${name.slice(0, 100)}…` : name);

const useInstead = 'use a token or a client certificate';

// The kube client cannot run either, whatever the policy says; the refusal should not suggest that
// an administrator's setting would be enough.
function explained(refusal: PolicyRefusal, context: string): Refusal {
  const { entry, field } = refusal;
  let { message } = refusal;
  if (field === 'exec') {
    message += `, and Binnacle's client cannot run exec plugins even then — ${useInstead}`;
  } else if (field === 'auth-provider') {
    message += `, and Binnacle's client cannot use auth providers even then — ${useInstead}`;
  }
  return { context: refusal.context ?? context, entry, field, message };
}

function entryOf(kubeconfig: Kubeconfig, context: string, field: string): string {
  const ctx = kubeconfig.contexts.find((c) => c.name === context);
  if (ctx !== undefined && (field === 'exec' || field === 'auth-provider')) {
    const index = kubeconfig.users.findIndex((u) => u.name === ctx.user);
    if (index >= 0) return `users[${index}] ${quote(ctx.user)}`;
  }
  if (ctx !== undefined && (field === 'proxy-url' || field === 'server')) {
    const index = kubeconfig.clusters.findIndex((c) => c.name === ctx.cluster);
    if (index >= 0) return `clusters[${index}] ${quote(ctx.cluster)}`;
  }
  const index = kubeconfig.contexts.findIndex((c) => c.name === context);
  return `contexts[${index}] ${quote(context)}`;
}

type Resolved =
  { ok: true; credential: StoredCredential; server: string } | { ok: false; refusals: Refusal[] };

/**
 * One context as a storable credential, or why not: what the client itself cannot do (exec plugins
 * and auth providers an administrator allowed, socks5 proxies). Call after the policy check.
 */
function resolveContext(
  kubeconfig: Kubeconfig,
  options: { context: string; policy: KubeconfigPolicy },
): Resolved {
  try {
    const { connection } = connectionFromKubeconfig(kubeconfig, options);
    return { ok: true, credential: storable(connection), server: connection.server };
  } catch (err) {
    if (!(err instanceof KubeError) || err.reason !== 'InvalidConfig') throw err;
    const causes = err.details?.causes ?? [{ field: '', message: err.message }];
    const refusals = causes.map((cause) => {
      const field = cause.field ?? '';
      return {
        context: options.context,
        entry: entryOf(kubeconfig, options.context, field),
        field,
        message: cause.message ?? err.message,
      };
    });
    return { ok: false, refusals };
  }
}

/** Every refusal for importing `contexts` together: once per entry and field. */
function refusalsFor(
  kubeconfig: Kubeconfig,
  options: { contexts: readonly string[]; policy: KubeconfigPolicy },
): Refusal[] {
  const { contexts, policy } = options;
  const first = contexts[0] ?? '';
  const refusals = checkPolicy(kubeconfig, policy, { contexts }).map((r) => explained(r, first));
  if (refusals.length > 0) return refusals;
  const seen = new Set<string>();
  for (const context of contexts) {
    const resolved = resolveContext(kubeconfig, { context, policy });
    if (resolved.ok) continue;
    for (const refusal of resolved.refusals) {
      const key = `${refusal.entry}\u0000${refusal.field}`;
      if (!seen.has(key)) refusals.push(refusal);
      seen.add(key);
    }
  }
  return refusals;
}

/** What each context would become, for the UI to show before an import; no credentials. */
export function previewKubeconfig(
  kubeconfig: Kubeconfig,
  policy: KubeconfigPolicy,
): ContextPreview[] {
  return listContexts(kubeconfig).map((summary) => ({
    name: summary.name,
    server: summary.server ?? null,
    namespace: summary.namespace,
    current: summary.current,
    suggestedName: nameFromContext(summary.name) ?? null,
    refusals: refusalsFor(kubeconfig, { contexts: [summary.name], policy }),
  }));
}

export function refusedError(
  refusals: readonly Refusal[],
  lead = 'This kubeconfig cannot be imported',
): HttpError {
  const reasons = refusals.map((r) => r.message).join('; ');
  return HttpError.badRequest(`${lead}: ${reasons}`, { code: 'Refused', details: { refusals } });
}

function chooseContexts(
  kubeconfig: Kubeconfig,
  requested: readonly string[] | undefined,
): string[] {
  const known = kubeconfig.contexts.map((c) => c.name);
  if (known.length === 0) {
    throw HttpError.badRequest('This kubeconfig has no contexts to import.');
  }
  if (requested === undefined) return known;
  const unknown = requested.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    const names = unknown.map(quote).join(', ');
    throw HttpError.badRequest(
      `This kubeconfig has no context ${names}; its contexts are ${known.map(quote).join(', ')}.`,
      { details: { unknownContexts: unknown } },
    );
  }
  return [...new Set(requested)];
}

function chooseNames(
  contexts: readonly string[],
  given: Readonly<Record<string, string>>,
): Map<string, string> {
  const stray = Object.keys(given).filter((context) => !contexts.includes(context));
  if (stray.length > 0) {
    throw HttpError.badRequest(
      `names gives a name for ${stray.map(quote).join(', ')}, which is not among the contexts being imported.`,
    );
  }
  const names = new Map<string, string>();
  const owner = new Map<string, string>();
  for (const context of contexts) {
    const name = Object.hasOwn(given, context) ? given[context] : nameFromContext(context);
    if (name === undefined) {
      throw HttpError.badRequest(
        `Context ${quote(context)} gives no usable cluster name; choose one in names (${nameRule}).`,
      );
    }
    if (!isClusterName(name)) {
      throw HttpError.badRequest(`The name ${quote(name)} is refused: ${nameRule}.`);
    }
    const other = owner.get(name);
    if (other !== undefined) {
      throw HttpError.badRequest(
        `Contexts ${quote(other)} and ${quote(context)} would both be named ${quote(name)}; choose other names in names.`,
      );
    }
    owner.set(name, context);
    names.set(context, name);
  }
  return names;
}

/**
 * The clusters an import creates, all or none: throws HttpError 400 for unknown contexts, bad or
 * clashing names, and (code `Refused`) everything the policy or the client refuses.
 */
export function planImport(
  kubeconfig: Kubeconfig,
  options: {
    policy: KubeconfigPolicy;
    contexts?: readonly string[] | undefined;
    names?: Readonly<Record<string, string>> | undefined;
    /** Starts the message of a refusal. */
    refusedAs?: string;
  },
): PlannedCluster[] {
  const contexts = chooseContexts(kubeconfig, options.contexts);
  const names = chooseNames(contexts, options.names ?? {});
  const refusals = refusalsFor(kubeconfig, { contexts, policy: options.policy });
  if (refusals.length > 0) throw refusedError(refusals, options.refusedAs);
  return contexts.map((context) => {
    const resolved = resolveContext(kubeconfig, { context, policy: options.policy });
    // refusalsFor resolved every context already
    if (!resolved.ok) throw refusedError(resolved.refusals, options.refusedAs);
    return {
      context,
      name: names.get(context) ?? context,
      server: resolved.server,
      credential: resolved.credential,
    };
  });
}

/**
 * The refusals of the servers `contexts` use by the addresses their names resolve to (IP literals
 * and schemes are the policy's), once per cluster entry.
 */
export async function addressRefusals(
  kubeconfig: Kubeconfig,
  options: { contexts: readonly string[]; addresses: ClusterAddresses },
): Promise<Refusal[]> {
  const refusals: Refusal[] = [];
  const seen = new Set<string>();
  for (const context of options.contexts) {
    const ctx = kubeconfig.contexts.find((c) => c.name === context);
    const cluster = kubeconfig.clusters.find((c) => c.name === ctx?.cluster);
    if (cluster?.server === undefined || seen.has(cluster.name)) continue;
    seen.add(cluster.name);
    const reason = await options.addresses.serverRefusal(cluster.server);
    if (reason === undefined) continue;
    refusals.push({
      context,
      entry: entryOf(kubeconfig, context, 'server'),
      field: 'server',
      message: `cluster ${quote(cluster.name)} server is refused: ${reason}`,
    });
  }
  return refusals;
}

/** `previewKubeconfig`, with each context's server checked by its resolved addresses too. */
export async function previewChecked(
  kubeconfig: Kubeconfig,
  options: { policy: KubeconfigPolicy; addresses: ClusterAddresses },
): Promise<ContextPreview[]> {
  const previews = previewKubeconfig(kubeconfig, options.policy);
  for (const preview of previews) {
    if (preview.refusals.length > 0) continue;
    const contexts = [preview.name];
    preview.refusals.push(
      ...(await addressRefusals(kubeconfig, { contexts, addresses: options.addresses })),
    );
  }
  return previews;
}

/** `planImport`, then every planned server checked by its resolved addresses: all or none. */
export async function planChecked(
  kubeconfig: Kubeconfig,
  options: Parameters<typeof planImport>[1] & { addresses: ClusterAddresses },
): Promise<PlannedCluster[]> {
  const planned = planImport(kubeconfig, options);
  const contexts = planned.map((p) => p.context);
  const refusals = await addressRefusals(kubeconfig, { contexts, addresses: options.addresses });
  if (refusals.length > 0) throw refusedError(refusals, options.refusedAs);
  return planned;
}
