// Key files for `make start` and for rotation: `<keyId>:<base64 key>` lines, the first one active,
// mode 0600. The key itself is never printed or returned.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { keyBytes, readKeyFile } from './keys.js';
import { KeyringError } from './keyring.js';

export interface KeyFileOptions {
  /** The date in the new key's id; today (UTC) unless given. */
  now?: Date;
}

/** Writes a new key file holding one random key; refuses to replace an existing file. */
export async function createKeyFile(
  path: string,
  options: KeyFileOptions = {},
): Promise<{ keyId: string }> {
  const keyId = dayKeyId(options.now ?? new Date(), new Set());
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  try {
    await writeFile(path, keyLine(keyId), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'EEXIST') {
      throw new KeyringError(`key file ${path} already exists; refusing to overwrite it`);
    }
    throw err;
  }
  return { keyId };
}

/**
 * Adds a random key as the file's first line, so it becomes the active key; the older keys stay to
 * open values sealed with them until `rotate-keys` has re-sealed those.
 */
export async function addKeyToFile(
  path: string,
  options: KeyFileOptions = {},
): Promise<{ keyId: string }> {
  const { keys, text } = readKeyFile(path, `key file ${path}`);
  const keyId = dayKeyId(options.now ?? new Date(), new Set(keys.map((key) => key.id)));
  // Written beside the file and renamed over it, so a crash leaves the old file or the new one.
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, keyLine(keyId) + text, { mode: 0o600, flag: 'wx', flush: true });
    await rename(temporary, path);
  } finally {
    await rm(temporary, { force: true });
  }
  return { keyId };
}

function keyLine(keyId: string): string {
  return `${keyId}:${randomBytes(keyBytes).toString('base64')}\n`;
}

/** `k<yyyymmdd>`, with `-2`, `-3`… when that day already has a key. */
function dayKeyId(now: Date, taken: ReadonlySet<string>): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  let id = `k${day}`;
  for (let n = 2; taken.has(id); n++) id = `k${day}-${n}`;
  return id;
}
