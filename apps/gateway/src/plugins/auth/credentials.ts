// Usernames and passwords of local accounts: the rules, and argon2id hashing.
import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

export const minPasswordLength = 12;
export const maxPasswordLength = 1024;

const usernamePattern = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export const usernameRule =
  'A username is 1 to 63 characters: lower-case letters, digits, ".", "_" and "-", starting with a letter or digit.';

/** The canonical form of a username (trimmed, lower-case), or undefined when it breaks the rule. */
export function normalizeUsername(input: string): string | undefined {
  const username = input.trim().toLowerCase();
  return usernamePattern.test(username) ? username : undefined;
}

/** What is wrong with a new password, in words a person can act on; undefined when it is fine. */
export function passwordProblem(password: string, username: string): string | undefined {
  if (password.length < minPasswordLength) {
    return `A password needs at least ${minPasswordLength} characters.`;
  }
  if (password.length > maxPasswordLength) {
    return `A password may have at most ${maxPasswordLength} characters.`;
  }
  if (password.trim().toLowerCase() === username.trim().toLowerCase()) {
    return 'A password must not be the username.';
  }
  return undefined;
}

// argon2id (the library's default algorithm) with OWASP's minimum: 19 MiB, 2 passes, 1 lane.
const argon2Options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, argon2Options);
}

let dummyHash: Promise<string> | undefined;

/** Computes the stand-in hash ahead, so that even the first unknown name takes no longer. */
export async function prepareVerification(): Promise<void> {
  await standIn();
}

function standIn(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('base64url'));
  return dummyHash;
}

/**
 * Whether `password` matches `stored`. Without a stored hash (no such user, or an SSO-only one) it
 * still spends the time of a verification, so the answer's timing does not tell which case it was.
 */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  const target = stored ?? (await standIn());
  try {
    const ok = await verify(target, password);
    return ok && stored !== null;
  } catch {
    // A stored value that is not an argon2 hash never matches.
    return false;
  }
}

/** A password for the first administrator: 24 characters from 18 random bytes. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
