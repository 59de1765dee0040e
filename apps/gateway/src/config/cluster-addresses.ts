// Where cluster servers may be: by default only https:// to addresses outside the gateway's own
// host and networks. An administrator names the internal networks a cluster may be in anyway, and
// the networks plain http:// may be used to; `make start` allows loopback for the local cluster.
import { parseCidr, type Cidr } from '../plugins/clusters/addresses/ip.js';
import type { ClusterAddressConfig } from '../plugins/clusters/addresses/policy.js';
import { ConfigError, list, type Env } from './env.js';

function cidrs(env: Env, name: string): Cidr[] {
  return list(env, name).map((item) => {
    const parsed = parseCidr(item);
    if (parsed === undefined) {
      throw new ConfigError(
        `${name} must be a comma-separated list of CIDR blocks such as 10.0.0.0/8 or fd00::/8, got "${item}"`,
      );
    }
    return parsed;
  });
}

export function loadClusterAddressConfig(env: Env): ClusterAddressConfig {
  return {
    allowedCidrs: cidrs(env, 'BINNACLE_CLUSTER_ALLOWED_CIDRS'),
    httpCidrs: cidrs(env, 'BINNACLE_CLUSTER_HTTP_CIDRS'),
  };
}
