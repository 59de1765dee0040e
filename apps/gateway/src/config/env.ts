// Readers for environment variables: each names the variable in its error, so a bad value stops the
// start with a message a person can act on.

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type Env = Readonly<Record<string, string | undefined>>;

function raw(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function string(env: Env, name: string, fallback: string): string {
  return raw(env, name) ?? fallback;
}

export function optionalString(env: Env, name: string): string | undefined {
  return raw(env, name);
}

export function integer(
  env: Env,
  options: { name: string; fallback: number; min: number; max: number },
): number {
  const value = raw(env, options.name);
  if (value === undefined) return options.fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < options.min || n > options.max) {
    throw new ConfigError(
      `${options.name} must be a whole number from ${options.min} to ${options.max}, got "${value}"`,
    );
  }
  return n;
}

export function port(env: Env, name: string, fallback: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new ConfigError(`${name} must be a port number between 0 and 65535, got "${value}"`);
  }
  return n;
}

export function boolean(env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new ConfigError(`${name} must be true or false, got "${value}"`);
}

export function oneOf<T extends string>(
  env: Env,
  options: { name: string; allowed: readonly T[]; fallback: T },
): T {
  const value = raw(env, options.name);
  if (value === undefined) return options.fallback;
  const match = options.allowed.find((allowed) => allowed === value);
  if (match === undefined) {
    throw new ConfigError(
      `${options.name} must be one of ${options.allowed.join(', ')}, got "${value}"`,
    );
  }
  return match;
}

/** A comma-separated list; empty entries are dropped. */
export function list(env: Env, name: string): string[] {
  return (raw(env, name) ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

export function url(
  env: Env,
  name: string,
  options: { protocols: readonly string[] },
): URL | undefined {
  const value = raw(env, name);
  if (value === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be a URL, got "${value}"`);
  }
  if (!options.protocols.includes(parsed.protocol)) {
    throw new ConfigError(
      `${name} must use ${options.protocols.join(' or ')}, got "${parsed.protocol}"`,
    );
  }
  return parsed;
}
