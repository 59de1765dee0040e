// A cluster given as server + CA + token: checked like a one-context kubeconfig, so the same policy
// (internal addresses) and the same refusals apply.
import type { Kubeconfig, KubeconfigPolicy } from '@binnacle/kube';
import { HttpError } from '../errors/index.js';
import type { ClusterAddresses } from './addresses/policy.js';
import { planChecked, type PlannedCluster } from './kubeconfig.js';

const pemStart = '-----BEGIN CERTIFICATE-----';

/** Why `server` cannot be an API server URL; the same rules as a kubeconfig's `server`. */
export function serverProblem(server: string): string | undefined {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return 'server must be an https:// or http:// URL';
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '') {
    return 'server must be an https:// or http:// URL';
  }
  if (url.username !== '' || url.password !== '') {
    return 'server must not carry a user name or password';
  }
  if (url.search !== '' || url.hash !== '') return 'server must not have a query or fragment';
  return undefined;
}

/** PEM text, or the base64 of PEM text (as in certificate-authority-data). */
export function pemOf(ca: string): string | undefined {
  const text = ca.trim();
  if (text.startsWith(pemStart)) return `${text}\n`;
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  const decoded = Buffer.from(compact, 'base64').toString('utf8').trim();
  return decoded.startsWith(pemStart) ? `${decoded}\n` : undefined;
}

export async function planFromForm(
  form: { name: string; server: string; ca?: string | undefined; token: string },
  rules: { policy: KubeconfigPolicy; addresses: ClusterAddresses },
): Promise<PlannedCluster> {
  const { policy, addresses } = rules;
  const problem = serverProblem(form.server);
  if (problem !== undefined) throw HttpError.badRequest(`Invalid request: ${problem}.`);
  const ca = form.ca === undefined ? undefined : pemOf(form.ca);
  if (form.ca !== undefined && ca === undefined) {
    throw HttpError.badRequest(
      `Invalid request: ca must be PEM text (${pemStart} …) or its base64, as in certificate-authority-data.`,
    );
  }
  const { name } = form;
  const kubeconfig: Kubeconfig = {
    clusters: [
      {
        name,
        server: form.server,
        insecureSkipTlsVerify: false,
        disableCompression: false,
        ...(ca !== undefined ? { certificateAuthorityData: ca } : {}),
      },
    ],
    users: [{ name, token: form.token.trim() }],
    contexts: [{ name, cluster: name, user: name }],
  };
  const [planned] = await planChecked(kubeconfig, {
    policy,
    addresses,
    names: { [name]: name },
    refusedAs: 'This cluster cannot be added',
  });
  if (planned === undefined) throw new Error('a one-context plan made no cluster');
  return planned;
}
