import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/env.js';
import { loadKeyringConfig } from '../../config/keyring.js';

const a = randomBytes(32).toString('base64');
const b = randomBytes(32).toString('base64url');
const short = randomBytes(16).toString('base64');
const secrets = [a, b, short];

// Written at load time: the refusal table below names these paths.
const dir = mkdtempSync(join(tmpdir(), 'binnacle-keyring-'));
const file = join(dir, 'keys');
writeFileSync(file, `# rotated keys\nnew:${a}\n\nold:${b}\n`, { mode: 0o600 });
const open = join(dir, 'open-keys');
writeFileSync(open, `k1:${a}\n`, { mode: 0o600 });
chmodSync(open, 0o640);
const empty = join(dir, 'empty');
writeFileSync(empty, '# nothing yet\n', { mode: 0o600 });
const shortInFile = join(dir, 'short');
writeFileSync(shortInFile, `k1:${a}\nk2:${short}\n`, { mode: 0o600 });

describe('loadKeyringConfig', () => {
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is empty when no key is configured (the keyring plugin refuses to start then)', () => {
    expect(loadKeyringConfig({})).toEqual({ keys: [], activeKeyId: undefined });
  });

  it('reads one inline key as the active key', () => {
    const config = loadKeyringConfig({ BINNACLE_KEYS: `k1:${a}` });
    expect(config.activeKeyId).toBe('k1');
    expect(config.keys.map((key) => key.bytes().toString('base64'))).toEqual([a]);
  });

  it('reads several inline keys, standard or url-safe base64, with the named active key', () => {
    const config = loadKeyringConfig({
      BINNACLE_KEYS: ` k1:${a} , k2:${b} `,
      BINNACLE_ACTIVE_KEY: 'k2',
    });
    expect(config.keys.map((key) => key.id)).toEqual(['k1', 'k2']);
    expect(config.keys[1]?.bytes()).toEqual(Buffer.from(b, 'base64url'));
    expect(config.activeKeyId).toBe('k2');
  });

  it('reads a key file, its first key active, skipping blank lines and comments', () => {
    const config = loadKeyringConfig({ BINNACLE_KEY_FILE: file });
    expect(config.keys.map((key) => key.id)).toEqual(['new', 'old']);
    expect(config.activeKeyId).toBe('new');
  });

  it('lets BINNACLE_ACTIVE_KEY choose another key of the file', () => {
    expect(
      loadKeyringConfig({ BINNACLE_KEY_FILE: file, BINNACLE_ACTIVE_KEY: 'old' }).activeKeyId,
    ).toBe('old');
  });

  const refusals: [string, Record<string, string>, string][] = [
    [
      'both sources',
      { BINNACLE_KEYS: `k1:${a}`, BINNACLE_KEY_FILE: file },
      'set BINNACLE_KEYS or BINNACLE_KEY_FILE, not both',
    ],
    [
      'an entry without a colon',
      { BINNACLE_KEYS: a },
      'BINNACLE_KEYS entry 1 must look like <keyId>:<base64 32-byte key>',
    ],
    [
      'a bad key id',
      { BINNACLE_KEYS: `k1:${a},key one:${b}`, BINNACLE_ACTIVE_KEY: 'k1' },
      'BINNACLE_KEYS entry 2 has an invalid key id: use 1 to 32 letters, digits, _ or -',
    ],
    [
      'a key id too long',
      { BINNACLE_KEYS: `${'k'.repeat(33)}:${a}` },
      'BINNACLE_KEYS entry 1 has an invalid key id: use 1 to 32 letters, digits, _ or -',
    ],
    [
      'a key that is not base64',
      { BINNACLE_KEYS: `k1:${a.slice(0, 20)}!${a.slice(21)}` },
      'BINNACLE_KEYS entry 1 (key "k1") is not base64',
    ],
    [
      'a 16-byte key',
      { BINNACLE_KEYS: `k1:${short}` },
      'BINNACLE_KEYS entry 1 (key "k1") must be 32 bytes, got 16; make one with: openssl rand -base64 32',
    ],
    [
      'a duplicate key id',
      { BINNACLE_KEYS: `k1:${a},k1:${b}`, BINNACLE_ACTIVE_KEY: 'k1' },
      'BINNACLE_KEYS has key id "k1" more than once',
    ],
    [
      'several keys and no active key',
      { BINNACLE_KEYS: `k1:${a},k2:${b}` },
      'BINNACLE_ACTIVE_KEY must name the key to seal with when BINNACLE_KEYS holds several',
    ],
    [
      'an unknown active key',
      { BINNACLE_KEYS: `k1:${a},k2:${b}`, BINNACLE_ACTIVE_KEY: 'k3' },
      'BINNACLE_ACTIVE_KEY is "k3", but BINNACLE_KEYS has no key with that id (it has k1, k2)',
    ],
    [
      'an active key that is not an id',
      { BINNACLE_KEYS: `k1:${a}`, BINNACLE_ACTIVE_KEY: `k1:${a}` },
      'BINNACLE_ACTIVE_KEY must be a key id: 1 to 32 letters, digits, _ or -',
    ],
    [
      'an active key without keys',
      { BINNACLE_ACTIVE_KEY: 'k1' },
      'BINNACLE_ACTIVE_KEY is set, but no keys are: set BINNACLE_KEYS or BINNACLE_KEY_FILE',
    ],
    ['an empty list', { BINNACLE_KEYS: ' , ' }, 'BINNACLE_KEYS holds no keys'],
    [
      'a missing key file',
      { BINNACLE_KEY_FILE: join(dir, 'nope') },
      `BINNACLE_KEY_FILE ${join(dir, 'nope')} cannot be read (ENOENT)`,
    ],
    [
      'a key file others may read',
      { BINNACLE_KEY_FILE: open },
      `BINNACLE_KEY_FILE ${open} may be read by its group or others (mode 0640); run: chmod 600 ${open}`,
    ],
    [
      'a directory as key file',
      { BINNACLE_KEY_FILE: dir },
      `BINNACLE_KEY_FILE ${dir} is not a regular file`,
    ],
    [
      'a key file without keys',
      { BINNACLE_KEY_FILE: empty },
      `BINNACLE_KEY_FILE ${empty} holds no keys`,
    ],
    [
      'a short key in a file',
      { BINNACLE_KEY_FILE: shortInFile },
      `BINNACLE_KEY_FILE ${shortInFile} line 2 (key "k2") must be 32 bytes, got 16; make one with: openssl rand -base64 32`,
    ],
  ];

  it.each(refusals)('refuses %s', (_, env, message) => {
    let error: unknown;
    try {
      loadKeyringConfig(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(message);
    for (const secret of secrets) expect(message).not.toContain(secret.slice(0, 12));
  });
});
