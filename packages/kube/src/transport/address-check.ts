// Where a cluster client may connect, decided by whoever builds it (the gateway refuses internal
// addresses). The check runs on the address actually connected to: an IP literal as it is, a name
// after every DNS resolution, in the socket's own lookup, so a name that resolves to something else
// the second time (DNS rebinding) is refused all the same.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { KubeError } from '../errors.ts';

export interface AddressTarget {
  /** The IP address about to be connected to. */
  address: string;
  family: 4 | 6;
  /** The host name of the URL (the address itself for an IP literal). */
  hostname: string;
  /** The scheme of the cluster's server URL. */
  protocol: 'http:' | 'https:';
}

export interface AddressPolicy {
  /** Why connecting to `target` is refused; undefined allows it. Must not throw. */
  check: (target: AddressTarget) => string | undefined;
  /** Resolves a host name to every address (default: the system resolver, as node:net does). */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
}

export function addressRefused(hostname: string, reason: string): KubeError {
  return new KubeError({
    code: 0,
    reason: 'AddressRefused',
    message: `connecting to ${hostname} is refused: ${reason}`,
  });
}

const systemResolve = (hostname: string): Promise<LookupAddress[]> =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => {
      if (err) reject(err);
      else resolve(addresses);
    });
  });

const bare = (hostname: string): string => hostname.replace(/^\[(.*)\]$/, '$1');

/** The refusal for a URL whose host is an IP literal (node:net skips the lookup for those). */
export function literalRefusal(
  policy: AddressPolicy,
  options: { hostname: string; protocol: AddressTarget['protocol'] },
): KubeError | undefined {
  const address = bare(options.hostname);
  const family = isIP(address);
  if (family === 0) return undefined;
  const reason = policy.check({
    address,
    family: family === 4 ? 4 : 6,
    hostname: address,
    protocol: options.protocol,
  });
  return reason === undefined ? undefined : addressRefused(address, reason);
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for node:net / node:tls (and so for undici's connector and ws): resolves, checks every
 * address, and fails the connection with an `AddressRefused` KubeError when any is refused.
 */
export function checkedLookup(
  policy: AddressPolicy,
  protocol: AddressTarget['protocol'],
): (hostname: string, options: LookupOptions, callback: LookupCallback) => void {
  const resolve = policy.resolve ?? systemResolve;
  return (hostname, options, callback) => {
    resolve(hostname)
      .then((found) => {
        if (found.length === 0) {
          const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
          err.code = 'ENOTFOUND';
          throw err;
        }
        for (const { address, family } of found) {
          const reason = policy.check({
            address,
            family: family === 4 ? 4 : 6,
            hostname,
            protocol,
          });
          if (reason !== undefined) throw addressRefused(hostname, reason);
        }
        const wanted =
          options.family === 4 || options.family === 6
            ? found.filter((a) => a.family === options.family)
            : found;
        const usable = wanted.length > 0 ? wanted : found;
        if (options.all === true) {
          callback(null, usable);
          return;
        }
        const [first] = usable;
        callback(null, first?.address ?? '', first?.family ?? 4);
      })
      .catch((err: unknown) => {
        callback(err as NodeJS.ErrnoException, '', 0);
      });
  };
}
