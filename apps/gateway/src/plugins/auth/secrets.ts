// Random bearer secrets and the digest under which the store keeps them.
import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes as base64url: 43 characters. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * SHA-256 in hex. Enough for secrets with 256 bits of entropy (unlike passwords, they cannot be
 * guessed), and a lookup by digest reveals nothing through its timing.
 */
export function digest(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
