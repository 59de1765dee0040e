// AES-256-GCM sealing with key ids, so keys can rotate. A sealed value reads
// `v1:<keyId>:<base64url iv>:<base64url ciphertext+tag>`; the record id is the associated data, so a
// value copied onto another record does not open.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ConfigError } from '../../config/env.js';
import type { KeyringConfig } from '../../config/keyring.js';
import { checkKeySet, keyIdPattern, type KeyringKey } from './keys.js';

const format = 'v1';
const ivBytes = 12;
const tagBytes = 16;
const base64url = /^[A-Za-z0-9_-]+$/;

/** Sealing or opening failed. The message never carries key material or plaintext. */
export class KeyringError extends Error {
  override name = 'KeyringError';
}

export interface SealOptions {
  /** The id of the record the value belongs to. */
  aad: string;
}

export interface Keyring {
  /** The key new values are sealed with. */
  readonly activeKeyId: string;
  seal(plaintext: string | Buffer, options: SealOptions): string;
  /** Throws KeyringError unless the value is intact, sealed for `aad`, with a configured key. */
  open(sealed: string, options: SealOptions): Buffer;
  /** Whether the value was sealed with a key other than the active one. */
  needsReseal(sealed: string): boolean;
}

export const noKeyMessage =
  'no encryption key is configured, and Binnacle has no default key. Set BINNACLE_KEY_FILE to a file ' +
  'of <keyId>:<base64 32-byte key> lines with mode 0600 (`make start` creates one on first run), or ' +
  'BINNACLE_KEYS=<keyId>:<base64 key> (with BINNACLE_ACTIVE_KEY when there are several); make a key ' +
  'with: openssl rand -base64 32';

export function createKeyring(config: KeyringConfig): Keyring {
  const { activeKeyId } = config;
  if (activeKeyId === undefined || config.keys.length === 0) throw new ConfigError(noKeyMessage);
  checkKeySet(config.keys, activeKeyId, 'the keyring');
  const keys = new Map(config.keys.map((key) => [key.id, key]));
  // checkKeySet made sure the active key is among them.
  const active = keys.get(activeKeyId) as KeyringKey;

  return {
    activeKeyId,

    seal(plaintext, { aad }) {
      checkAad(aad);
      const iv = randomBytes(ivBytes);
      const cipher = createCipheriv('aes-256-gcm', active.bytes(), iv, { authTagLength: tagBytes });
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
      const body = Buffer.concat([cipher.update(data), cipher.final(), cipher.getAuthTag()]);
      return `${format}:${active.id}:${iv.toString('base64url')}:${body.toString('base64url')}`;
    },

    open(sealed, { aad }) {
      checkAad(aad);
      const parts = parse(sealed);
      const key = keys.get(parts.keyId);
      if (key === undefined) {
        throw new KeyringError(`sealed value uses key "${parts.keyId}", which is not configured`);
      }
      const decipher = createDecipheriv('aes-256-gcm', key.bytes(), parts.iv, {
        authTagLength: tagBytes,
      });
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(parts.tag);
      try {
        return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]);
      } catch {
        throw new KeyringError(
          'sealed value failed authentication: it was altered, or it belongs to another record',
        );
      }
    },

    needsReseal(sealed) {
      return parse(sealed).keyId !== active.id;
    },
  };
}

function checkAad(aad: string): void {
  if (aad === '') throw new KeyringError('aad must be the record id, got an empty string');
}

interface SealedParts {
  keyId: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

// Strict: every part must be canonical, so that any change to the text fails instead of decoding to
// the same bytes. Messages show no part of the value but a well-formed key id.
function parse(sealed: string): SealedParts {
  const parts = sealed.split(':');
  const [version, keyId, iv64, body64] = parts;
  if (parts.length !== 4 || version !== format || keyId === undefined) {
    throw new KeyringError(`sealed value is not in the ${format} format`);
  }
  if (!keyIdPattern.test(keyId)) throw new KeyringError('sealed value has a malformed key id');
  const iv = decode(iv64);
  const body = decode(body64);
  if (iv?.length !== ivBytes || body === undefined || body.length < tagBytes) {
    throw new KeyringError('sealed value has a malformed iv or ciphertext');
  }
  return {
    keyId,
    iv,
    ciphertext: body.subarray(0, body.length - tagBytes),
    tag: body.subarray(body.length - tagBytes),
  };
}

function decode(text: string | undefined): Buffer | undefined {
  if (text === undefined || !base64url.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}
