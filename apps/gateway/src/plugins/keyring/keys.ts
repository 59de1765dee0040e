// Key material and its parsing, shared by the config loader, the key-file helpers and the keyring.
// Error messages name where a bad key came from (a variable, a file line) and never repeat the
// value: a malformed entry may still be most of a real key.
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { ConfigError } from '../../config/env.js';

export const keyBytes = 32;
export const keyIdPattern = /^[A-Za-z0-9_-]{1,32}$/;
const base64Pattern = /^[A-Za-z0-9+/_-]+={0,2}$/;
const entryShape = `<keyId>:<base64 ${keyBytes}-byte key>`;

/** One AES-256 key with its id. The bytes stay out of JSON, logs and `util.inspect`. */
export class KeyringKey {
  readonly id: string;
  readonly #bytes: Buffer;

  constructor(id: string, bytes: Buffer) {
    if (!keyIdPattern.test(id) || bytes.length !== keyBytes) {
      throw new ConfigError(
        `a keyring key needs an id of 1 to 32 letters, digits, _ or - and ${keyBytes} bytes`,
      );
    }
    this.id = id;
    this.#bytes = Buffer.from(bytes);
  }

  /** The raw key, for the cipher only. */
  bytes(): Buffer {
    return this.#bytes;
  }

  toJSON(): { id: string } {
    return { id: this.id };
  }

  [inspect.custom](): string {
    return `KeyringKey { id: '${this.id}' }`;
  }
}

/** Parses `<keyId>:<base64 key>`; `where` names the entry in messages ("BINNACLE_KEYS entry 2"). */
export function parseKeyEntry(entry: string, where: string): KeyringKey {
  const colon = entry.indexOf(':');
  if (colon < 0) throw new ConfigError(`${where} must look like ${entryShape}`);
  const id = entry.slice(0, colon).trim();
  const encoded = entry.slice(colon + 1).trim();
  if (!keyIdPattern.test(id)) {
    throw new ConfigError(`${where} has an invalid key id: use 1 to 32 letters, digits, _ or -`);
  }
  if (!base64Pattern.test(encoded)) throw new ConfigError(`${where} (key "${id}") is not base64`);
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length !== keyBytes) {
    throw new ConfigError(
      `${where} (key "${id}") must be ${keyBytes} bytes, got ${bytes.length}; make one with: openssl rand -base64 ${keyBytes}`,
    );
  }
  return new KeyringKey(id, bytes);
}

/** Parses a key file's text: one entry per line; blank lines and `#` comments are skipped. */
export function parseKeyFileText(text: string, label: string): KeyringKey[] {
  const keys: KeyringKey[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    keys.push(parseKeyEntry(trimmed, `${label} line ${index + 1}`));
  });
  if (keys.length === 0) throw new ConfigError(`${label} holds no keys`);
  return keys;
}

/**
 * Reads a key file, refusing one that its group or others may access. Returns the text too, so a
 * caller that rewrites the file works from the same bytes it checked.
 */
export function readKeyFile(path: string, label: string): { keys: KeyringKey[]; text: string } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new ConfigError(`${label} cannot be read (${errorCode(err)})`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new ConfigError(`${label} is not a regular file`);
    const mode = stat.mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new ConfigError(
        `${label} may be read by its group or others (mode ${mode.toString(8).padStart(4, '0')}); run: chmod 600 ${path}`,
      );
    }
    const text = readFileSync(fd, 'utf8');
    return { keys: parseKeyFileText(text, label), text };
  } finally {
    closeSync(fd);
  }
}

/**
 * Checks a set of keys: unique ids and an active key among them. `source` names where the keys
 * came from in messages.
 */
export function checkKeySet(
  keys: readonly KeyringKey[],
  activeKeyId: string,
  source: string,
): void {
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key.id)) throw new ConfigError(`${source} has key id "${key.id}" more than once`);
    seen.add(key.id);
  }
  if (!keyIdPattern.test(activeKeyId)) {
    throw new ConfigError('BINNACLE_ACTIVE_KEY must be a key id: 1 to 32 letters, digits, _ or -');
  }
  if (!seen.has(activeKeyId)) {
    throw new ConfigError(
      `BINNACLE_ACTIVE_KEY is "${activeKeyId}", but ${source} has no key with that id (it has ${[...seen].join(', ')})`,
    );
  }
}

function errorCode(err: unknown): string {
  return err instanceof Error && 'code' in err && typeof err.code === 'string'
    ? err.code
    : 'unknown error';
}
