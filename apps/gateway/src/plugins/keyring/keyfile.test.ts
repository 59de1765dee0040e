import { chmod, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/env.js';
import { loadKeyringConfig } from '../../config/keyring.js';
import { addKeyToFile, createKeyFile } from './keyfile.js';
import { createKeyring, KeyringError } from './keyring.js';

const now = new Date('2025-03-07T23:30:00Z');

describe('key files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'binnacle-keyfile-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('creates a file of one random key, mode 0600, in a new 0700 directory', async () => {
    const path = join(dir, 'data', 'keys');
    expect(await createKeyFile(path, { now })).toEqual({ keyId: 'k20250307' });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'data'))).mode & 0o777).toBe(0o700);
    expect(await readFile(path, 'utf8')).toMatch(/^k20250307:[A-Za-z0-9+/]{43}=\n$/);
    const config = loadKeyringConfig({ BINNACLE_KEY_FILE: path });
    expect(config.activeKeyId).toBe('k20250307');
  });

  it('makes a different key each time', async () => {
    await createKeyFile(join(dir, 'a'));
    await createKeyFile(join(dir, 'b'));
    const key = async (name: string): Promise<string> =>
      (await readFile(join(dir, name), 'utf8')).split(':')[1] ?? '';
    expect(await key('a')).not.toBe(await key('b'));
  });

  it('refuses to overwrite a file', async () => {
    const path = join(dir, 'keys');
    await writeFile(path, 'precious\n');
    await expect(createKeyFile(path)).rejects.toThrow(
      new KeyringError(`key file ${path} already exists; refusing to overwrite it`),
    );
    expect(await readFile(path, 'utf8')).toBe('precious\n');
  });

  it('adds a new active key in front, keeping the older keys and their values readable', async () => {
    const path = join(dir, 'keys');
    await createKeyFile(path, { now });
    const before = createKeyring(loadKeyringConfig({ BINNACLE_KEY_FILE: path }));
    const sealed = before.seal('kubeconfig', { aad: 'c1' });

    expect(await addKeyToFile(path, { now })).toEqual({ keyId: 'k20250307-2' });
    expect(await addKeyToFile(path, { now: new Date('2025-04-01T00:00:00Z') })).toEqual({
      keyId: 'k20250401',
    });

    const after = createKeyring(loadKeyringConfig({ BINNACLE_KEY_FILE: path }));
    expect(after.activeKeyId).toBe('k20250401');
    expect(loadKeyringConfig({ BINNACLE_KEY_FILE: path }).keys.map((key) => key.id)).toEqual([
      'k20250401',
      'k20250307-2',
      'k20250307',
    ]);
    expect(after.needsReseal(sealed)).toBe(true);
    expect(after.open(sealed, { aad: 'c1' }).toString()).toBe('kubeconfig');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['keys']);
  });

  it('refuses to add to a file others may read, and leaves it alone', async () => {
    const path = join(dir, 'keys');
    await createKeyFile(path, { now });
    await chmod(path, 0o644);
    const text = await readFile(path, 'utf8');
    await expect(addKeyToFile(path)).rejects.toThrow(
      new ConfigError(
        `key file ${path} may be read by its group or others (mode 0644); run: chmod 600 ${path}`,
      ),
    );
    expect(await readFile(path, 'utf8')).toBe(text);
  });
});
