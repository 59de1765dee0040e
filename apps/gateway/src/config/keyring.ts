// Keys that seal stored credentials: inline (BINNACLE_KEYS) or in a file (BINNACLE_KEY_FILE). No key
// is not an error here, so other sections load; the keyring plugin refuses to start without one.
import { resolve } from 'node:path';
import {
  checkKeySet,
  parseKeyEntry,
  readKeyFile,
  type KeyringKey,
} from '../plugins/keyring/keys.js';
import { ConfigError, list, optionalString, type Env } from './env.js';

export interface KeyringConfig {
  /** Every key that may open a stored value; empty when none is configured. */
  keys: readonly KeyringKey[];
  /** The key new values are sealed with; undefined only when `keys` is empty. */
  activeKeyId: string | undefined;
}

export function loadKeyringConfig(env: Env): KeyringConfig {
  const inline = optionalString(env, 'BINNACLE_KEYS');
  const file = optionalString(env, 'BINNACLE_KEY_FILE');
  const active = optionalString(env, 'BINNACLE_ACTIVE_KEY');

  if (inline !== undefined && file !== undefined) {
    throw new ConfigError('set BINNACLE_KEYS or BINNACLE_KEY_FILE, not both');
  }
  if (inline !== undefined) {
    const keys = list(env, 'BINNACLE_KEYS').map((entry, index) =>
      parseKeyEntry(entry, `BINNACLE_KEYS entry ${index + 1}`),
    );
    const [first] = keys;
    if (first === undefined) throw new ConfigError('BINNACLE_KEYS holds no keys');
    if (keys.length > 1 && active === undefined) {
      throw new ConfigError(
        'BINNACLE_ACTIVE_KEY must name the key to seal with when BINNACLE_KEYS holds several',
      );
    }
    return keySet(keys, active ?? first.id, 'BINNACLE_KEYS');
  }
  if (file !== undefined) {
    const path = resolve(file);
    const label = `BINNACLE_KEY_FILE ${path}`;
    const { keys } = readKeyFile(path, label);
    // readKeyFile refuses a file without keys, so there is a first one.
    return keySet(keys, active ?? (keys[0] as KeyringKey).id, label);
  }
  if (active !== undefined) {
    throw new ConfigError(
      'BINNACLE_ACTIVE_KEY is set, but no keys are: set BINNACLE_KEYS or BINNACLE_KEY_FILE',
    );
  }
  return { keys: [], activeKeyId: undefined };
}

function keySet(keys: KeyringKey[], activeKeyId: string, source: string): KeyringConfig {
  checkKeySet(keys, activeKeyId, source);
  return { keys, activeKeyId };
}
