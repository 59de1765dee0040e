import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/env.js';
import keyringPlugin from './index.js';
import { createKeyring, KeyringError, noKeyMessage } from './keyring.js';
import { KeyringKey } from './keys.js';

const k1 = new KeyringKey('k1', randomBytes(32));
const k2 = new KeyringKey('k2', randomBytes(32));
const aad = { aad: 'cluster-1' };

/** Replaces the character at `index` of `part` (0 version … 3 body) with a different one. */
function alter(sealed: string, part: number, index: number): string {
  const parts = sealed.split(':');
  const text = parts[part] ?? '';
  const at = index < 0 ? text.length + index : index;
  const old = text.charAt(at);
  const replacement = old === 'A' ? 'B' : 'A';
  parts[part] = text.slice(0, at) + replacement + text.slice(at + 1);
  return parts.join(':');
}

describe('keyring', () => {
  const keyring = createKeyring({ keys: [k1, k2], activeKeyId: 'k1' });

  it.each([
    ['a string', 'apiVersion: v1\nkind: Config\n', Buffer.from('apiVersion: v1\nkind: Config\n')],
    ['a buffer', randomBytes(300), undefined],
    ['an empty value', '', Buffer.alloc(0)],
  ])('seals and opens %s', (_, plaintext, expected) => {
    const sealed = keyring.seal(plaintext, aad);
    expect(sealed).toMatch(/^v1:k1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$/);
    expect(keyring.open(sealed, aad)).toEqual(expected ?? plaintext);
  });

  it('uses a fresh iv for every seal', () => {
    const a = keyring.seal('same', aad);
    const b = keyring.seal('same', aad);
    expect(a.split(':')[2]).not.toBe(b.split(':')[2]);
    expect(a).not.toBe(b);
  });

  it('never puts the plaintext in the sealed value', () => {
    expect(keyring.seal('token-abcdef', aad)).not.toContain('token');
  });

  const sealed = keyring.seal('secret credentials', aad);
  const body = sealed.split(':')[3] ?? '';
  it.each([
    ['the format version', sealed.replace(/^v1:/, 'v2:'), 'sealed value is not in the v1 format'],
    ['the key id, to another key', sealed.replace(':k1:', ':k2:'), 'failed authentication'],
    [
      'the key id, to an unknown key',
      sealed.replace(':k1:', ':k9:'),
      'key "k9", which is not configured',
    ],
    ['the key id, to a malformed one', sealed.replace(':k1:', ':k 1:'), 'malformed key id'],
    ['the iv, first character', alter(sealed, 2, 0), 'failed authentication'],
    ['the iv, last character', alter(sealed, 2, -1), /failed authentication|malformed iv/],
    ['the ciphertext', alter(sealed, 3, 2), 'failed authentication'],
    ['the tag', alter(sealed, 3, body.length - 5), 'failed authentication'],
    ['the last character', alter(sealed, 3, -1), /failed authentication|malformed iv/],
    ['the length (truncated tag)', sealed.slice(0, -4), /failed authentication|malformed iv/],
    ['a part removed', sealed.split(':').slice(0, 3).join(':'), 'not in the v1 format'],
    ['a part added', `${sealed}:x`, 'not in the v1 format'],
    ['non-base64 text', `v1:k1:${'*'.repeat(16)}:${body}`, 'malformed iv'],
    ['an empty string', '', 'not in the v1 format'],
    ['a plaintext value', 'apiVersion: v1', 'not in the v1 format'],
  ])('refuses a value with %s changed', (_, altered, message) => {
    expect(altered).not.toBe(sealed);
    expect(() => keyring.open(altered, aad)).toThrow(KeyringError);
    expect(() => keyring.open(altered, aad)).toThrow(message);
  });

  it('refuses a value opened for another record', () => {
    expect(() => keyring.open(sealed, { aad: 'cluster-2' })).toThrow(
      new KeyringError(
        'sealed value failed authentication: it was altered, or it belongs to another record',
      ),
    );
  });

  it('refuses an empty record id', () => {
    expect(() => keyring.seal('x', { aad: '' })).toThrow(KeyringError);
    expect(() => keyring.open(sealed, { aad: '' })).toThrow(KeyringError);
  });

  it('keeps values sealed with an older key readable after rotation', () => {
    const old = createKeyring({ keys: [k1], activeKeyId: 'k1' }).seal('kubeconfig', aad);
    const rotated = createKeyring({ keys: [k2, k1], activeKeyId: 'k2' });
    expect(rotated.activeKeyId).toBe('k2');
    expect(rotated.needsReseal(old)).toBe(true);
    expect(rotated.open(old, aad).toString()).toBe('kubeconfig');
    const resealed = rotated.seal(rotated.open(old, aad), aad);
    expect(resealed.startsWith('v1:k2:')).toBe(true);
    expect(rotated.needsReseal(resealed)).toBe(false);
  });

  it('does not open values once their key is removed', () => {
    const withoutK1 = createKeyring({ keys: [k2], activeKeyId: 'k2' });
    expect(() => withoutK1.open(sealed, aad)).toThrow(
      new KeyringError('sealed value uses key "k1", which is not configured'),
    );
  });

  it('refuses to exist without a key', () => {
    expect(() => createKeyring({ keys: [], activeKeyId: undefined })).toThrow(
      new ConfigError(noKeyMessage),
    );
  });

  it('keeps key bytes out of JSON and inspection', async () => {
    const { inspect } = await import('node:util');
    const encoded = k1.bytes().toString('base64');
    expect(JSON.stringify({ keys: [k1] })).toBe('{"keys":[{"id":"k1"}]}');
    expect(inspect({ keys: [k1] })).not.toContain(encoded);
    expect(inspect({ keys: [k1] })).not.toContain(k1.bytes().toString('hex').slice(0, 16));
  });
});

describe('keyring plugin', () => {
  it('decorates the app with the keyring', async () => {
    const app = Fastify();
    await app.register(keyringPlugin, { keys: [k1], activeKeyId: 'k1' });
    await app.ready();
    expect(app.keyring.activeKeyId).toBe('k1');
    expect(app.keyring.open(app.keyring.seal('x', aad), aad).toString()).toBe('x');
    await app.close();
  });

  it('stops the start when no key is configured, saying how to configure one', async () => {
    const app = Fastify();
    await expect(app.register(keyringPlugin, { keys: [], activeKeyId: undefined })).rejects.toThrow(
      new ConfigError(noKeyMessage),
    );
    expect(noKeyMessage).toContain('BINNACLE_KEY_FILE');
    expect(noKeyMessage).toContain('make start');
    await app.close();
  });
});
