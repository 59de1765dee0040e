// The gateway's one typed environment schema, composed of one section per concern. A bad value
// stops the start with a message that names the variable.
import { loadAuthConfig, type AuthConfig } from './auth.js';
import { loadClusterAddressConfig } from './cluster-addresses.js';
import { loadClustersConfig, type ClustersConfig } from './clusters.js';
import { loadDbConfig, type DbConfig } from './db.js';
import { ConfigError, oneOf, port, string, type Env } from './env.js';
import { loadInformersConfig, type InformersConfig } from './informers.js';
import { loadKeyringConfig, type KeyringConfig } from './keyring.js';
import { loadLimitsConfig, type LimitsConfig } from './limits.js';
import { loadOpsConfig, type OpsConfig } from './ops.js';
import { loadLiveConfig, type LiveConfig } from './live.js';
import { loadSecurityConfig, type SecurityConfig } from './security.js';
import { loadSocketsConfig, type SocketsConfig } from './sockets.js';
import { loadSsoConfig, type SsoConfig } from './sso.js';
import { loadWebConfig, type WebConfig } from './web.js';

export { ConfigError };

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface GatewayConfig {
  host: string;
  port: number;
  logLevel: (typeof logLevels)[number];
  db: DbConfig;
  keyring: KeyringConfig;
  security: SecurityConfig;
  auth: AuthConfig;
  sso: SsoConfig;
  clusters: ClustersConfig;
  sockets: SocketsConfig;
  clusterAddresses: ReturnType<typeof loadClusterAddressConfig>;
  web: WebConfig;
  limits: LimitsConfig;
  ops: OpsConfig;
  informers: InformersConfig;
  live: LiveConfig;
}

export function loadConfig(env: Env = process.env): GatewayConfig {
  return {
    host: string(env, 'BINNACLE_HOST', '127.0.0.1'),
    port: port(env, 'BINNACLE_PORT', 8080),
    logLevel: oneOf(env, { name: 'BINNACLE_LOG_LEVEL', allowed: logLevels, fallback: 'info' }),
    db: loadDbConfig(env),
    keyring: loadKeyringConfig(env),
    security: loadSecurityConfig(env),
    auth: loadAuthConfig(env),
    sso: loadSsoConfig(env),
    clusters: loadClustersConfig(env),
    sockets: loadSocketsConfig(env),
    clusterAddresses: loadClusterAddressConfig(env),
    web: loadWebConfig(env),
    limits: loadLimitsConfig(env),
    ops: loadOpsConfig(env),
    informers: loadInformersConfig(env),
    live: loadLiveConfig(env),
  };
}
