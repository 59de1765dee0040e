// Where the gateway may connect for a cluster: https only (plain http inside networks an
// administrator names), never an internal address unless an administrator allows its network. A
// server is checked when it is registered (every address its name resolves to), and each connection
// again at connect time through @binnacle/kube's address policy, so DNS rebinding fails.
import { lookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import type { AddressPolicy, AddressTarget } from '@binnacle/kube';
import { addressRefusal, httpAllowed } from './classify.js';
import { formatIp, parseIp, type Cidr, type Ip } from './ip.js';

export interface ClusterAddressConfig {
  /** Networks allowed although they are internal (BINNACLE_CLUSTER_ALLOWED_CIDRS). */
  allowedCidrs: readonly Cidr[];
  /** Networks plain http:// may be used to (BINNACLE_CLUSTER_HTTP_CIDRS). */
  httpCidrs: readonly Cidr[];
}

export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

export interface ClusterAddresses {
  /** For every client of a stored or candidate cluster: the check at connect time. */
  connectPolicy: AddressPolicy;
  /** The check of a server URL that needs no DNS: its scheme, and the host when it is an IP. */
  literalRefusal: (url: URL) => string | undefined;
  /** The full check: resolves the host and checks every address; undefined allows the server. */
  serverRefusal: (server: string) => Promise<string | undefined>;
}

const allowedSetting = 'BINNACLE_CLUSTER_ALLOWED_CIDRS';
const httpSetting = 'BINNACLE_CLUSTER_HTTP_CIDRS';

const systemResolve: Resolve = (hostname) => lookup(hostname, { all: true, verbatim: true });

export function createClusterAddresses(
  config: ClusterAddressConfig,
  resolve: Resolve = systemResolve,
): ClusterAddresses {
  /** Why `ip` (what `hostname` is, or resolves to) is refused over `protocol`. */
  function refusal(ip: Ip, hostname: string, protocol: string): string | undefined {
    const named = parseIp(hostname) === undefined;
    const found = addressRefusal(ip, config.allowedCidrs);
    if (found !== undefined) {
      const what = `${found.label} (${found.range})`;
      let text: string;
      if (found.via !== undefined) {
        const subject = named ? `${hostname} resolves to ${found.via}` : found.via;
        text = `${subject}, which reaches ${found.address}, ${what}`;
      } else {
        text = named
          ? `${hostname} resolves to ${found.address}, ${what}`
          : `${found.address} is ${what}`;
      }
      return `${text}; an administrator can allow it with ${allowedSetting}`;
    }
    if (protocol === 'http:' && !httpAllowed(ip, config.httpCidrs)) {
      const shown = named ? `${hostname} (${formatIp(ip)})` : formatIp(ip);
      return (
        `plain http:// to ${shown} is refused — use https://; an administrator can allow http` +
        ` for chosen networks with ${httpSetting}`
      );
    }
    return undefined;
  }

  function literalRefusal(url: URL): string | undefined {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      return 'the server must be an https:// URL';
    }
    const ip = parseIp(url.hostname);
    if (ip !== undefined)
      return refusal(ip, url.hostname.replace(/^\[(.*)\]$/, '$1'), url.protocol);
    return undefined;
  }

  return {
    connectPolicy: {
      check: (target: AddressTarget) => {
        const ip = parseIp(target.address);
        if (ip === undefined) return `${target.address} is not an IP address`;
        return refusal(ip, target.hostname, target.protocol);
      },
      resolve,
    },
    literalRefusal,
    serverRefusal: async (server) => {
      let url: URL;
      try {
        url = new URL(server);
      } catch {
        return 'the server is not a URL';
      }
      const literal = literalRefusal(url);
      if (literal !== undefined || parseIp(url.hostname) !== undefined) return literal;
      let found: LookupAddress[];
      try {
        found = await resolve(url.hostname);
      } catch {
        // not resolvable now: nothing to check; every connection is checked again anyway
        return undefined;
      }
      for (const { address } of found) {
        const ip = parseIp(address);
        const reason = ip && refusal(ip, url.hostname, url.protocol);
        if (reason) return reason;
      }
      return undefined;
    },
  };
}
