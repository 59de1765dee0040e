import { describe, expect, it } from 'vitest';
import { loadClustersConfig } from '../../config/clusters.js';
import { ConfigError } from '../../config/env.js';

describe('loadClustersConfig', () => {
  it.each([
    [
      {},
      {
        importPolicy: {
          allowExec: false,
          allowAuthProvider: false,
          allowInsecureSkipTlsVerify: false,
        },
        healthIntervalSeconds: 30,
      },
    ],
    [
      {
        BINNACLE_ALLOW_EXEC_PLUGINS: 'true',
        BINNACLE_ALLOW_AUTH_PROVIDERS: 'yes',
        BINNACLE_ALLOW_INSECURE_CLUSTERS: '1',
        BINNACLE_HEALTH_INTERVAL_SECONDS: '5',
      },
      {
        importPolicy: {
          allowExec: true,
          allowAuthProvider: true,
          allowInsecureSkipTlsVerify: true,
        },
        healthIntervalSeconds: 5,
      },
    ],
  ])('reads %o', (env, expected) => {
    expect(loadClustersConfig(env)).toEqual(expected);
  });

  it.each([
    [
      { BINNACLE_ALLOW_INSECURE_CLUSTERS: 'maybe' },
      'BINNACLE_ALLOW_INSECURE_CLUSTERS must be true or false, got "maybe"',
    ],
    [
      { BINNACLE_HEALTH_INTERVAL_SECONDS: '1' },
      'BINNACLE_HEALTH_INTERVAL_SECONDS must be a whole number from 5 to 3600, got "1"',
    ],
  ])('refuses %o', (env, message) => {
    expect(() => loadClustersConfig(env)).toThrow(new ConfigError(message));
  });
});
