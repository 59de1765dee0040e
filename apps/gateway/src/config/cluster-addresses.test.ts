import { describe, expect, it } from 'vitest';
import { loadClusterAddressConfig } from './cluster-addresses.js';
import { ConfigError } from './env.js';

describe('loadClusterAddressConfig', () => {
  it('allows no internal network and no plain http by default', () => {
    expect(loadClusterAddressConfig({})).toEqual({ allowedCidrs: [], httpCidrs: [] });
  });

  it('reads comma-separated CIDR blocks and bare addresses', () => {
    const config = loadClusterAddressConfig({
      BINNACLE_CLUSTER_ALLOWED_CIDRS: '127.0.0.0/8, ::1/128,10.1.2.3',
      BINNACLE_CLUSTER_HTTP_CIDRS: '127.0.0.0/8',
    });
    expect(config.allowedCidrs.map((c) => [c.text, c.prefix])).toEqual([
      ['127.0.0.0/8', 8],
      ['::1/128', 128],
      ['10.1.2.3', 32],
    ]);
    expect(config.httpCidrs.map((c) => c.text)).toEqual(['127.0.0.0/8']);
  });

  it.each([
    ['BINNACLE_CLUSTER_ALLOWED_CIDRS', '10.0.0.0/33'],
    ['BINNACLE_CLUSTER_ALLOWED_CIDRS', 'localhost'],
    ['BINNACLE_CLUSTER_HTTP_CIDRS', '127.0.0.0/8,nope'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => loadClusterAddressConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadClusterAddressConfig({ [name]: value })).toThrow(
      new RegExp(`^${name} must be a comma-separated list of CIDR blocks`),
    );
  });
});
