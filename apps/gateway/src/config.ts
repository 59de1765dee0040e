// The gateway's one typed environment schema. A bad value stops the start with a message that
// names the variable.

export interface GatewayConfig {
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

const logLevels: readonly GatewayConfig['logLevel'][] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new ConfigError(`${name} must be a port number between 0 and 65535, got "${raw}"`);
  }
  return value;
}

function oneOf<T extends string>(
  env: NodeJS.ProcessEnv,
  options: { name: string; allowed: readonly T[]; fallback: T },
): T {
  const raw = env[options.name];
  if (raw === undefined || raw === '') return options.fallback;
  const match = options.allowed.find((value) => value === raw);
  if (match === undefined) {
    throw new ConfigError(
      `${options.name} must be one of ${options.allowed.join(', ')}, got "${raw}"`,
    );
  }
  return match;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return {
    host: env.BINNACLE_HOST ?? '127.0.0.1',
    port: port(env, 'BINNACLE_PORT', 8080),
    logLevel: oneOf(env, { name: 'BINNACLE_LOG_LEVEL', allowed: logLevels, fallback: 'info' }),
  };
}
