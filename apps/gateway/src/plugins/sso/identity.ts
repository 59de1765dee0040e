// People who sign in through an identity provider: their username and groups from its claims, and
// their user row, created on first sign-in and brought up to date on every one after.
import type { Kysely } from 'kysely';
import { normalizeUsername } from '../auth/credentials.js';
import { activeAuthUser, findUser, insertUser, updateUser } from '../auth/users.js';
import type { AuthUser } from '../auth/index.js';
import type { Database } from '../db/schema.js';
import { HttpError } from '../errors/index.js';

export type SsoSource = 'oidc' | 'host';

export interface SsoIdentity {
  username: string;
  displayName: string;
  groups: string[];
}

type Claims = Readonly<Record<string, unknown>>;

/**
 * The first of the named claims that makes a valid username, as is or with the characters the rule
 * refuses (such as an e-mail address's "@") turned into "-".
 */
export function usernameFrom(claims: Claims, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = claims[name];
    if (typeof value !== 'string') continue;
    const username =
      normalizeUsername(value) ??
      normalizeUsername(
        value
          .trim()
          .toLowerCase()
          .replace(/[^a-z0-9._-]/g, '-')
          .replace(/^[^a-z0-9]+/, '')
          .slice(0, 63),
      );
    if (username !== undefined) return username;
  }
  return undefined;
}

const maxGroups = 256;
const groupPattern = /^[^\u0000-\u001f\u007f]{1,128}$/;

/** A groups claim: a list of names (or one name); names that could not be a group are dropped. */
export function groupsFrom(value: unknown): string[] {
  const names = Array.isArray(value) ? (value as unknown[]) : [value];
  const groups = names.filter(
    (name): name is string => typeof name === 'string' && groupPattern.test(name),
  );
  return [...new Set(groups)].slice(0, maxGroups);
}

/** The display name from `name`, else the username. */
export function displayNameFrom(claims: Claims, username: string): string {
  const name = claims.name;
  return typeof name === 'string' && name.trim() !== '' ? name.trim().slice(0, 128) : username;
}

/**
 * Creates or updates the user for a sign-in through `source`; the provider's groups replace the
 * user's. A username held by an account of another source is refused: signing in through a
 * provider must never take over a local account.
 */
export async function upsertSsoUser(
  db: Kysely<Database>,
  source: SsoSource,
  identity: SsoIdentity,
): Promise<AuthUser> {
  const id = await db.transaction().execute(async (trx) => {
    const now = Date.now();
    const existing = await trx
      .selectFrom('users')
      .select(['id', 'source'])
      .where('username', '=', identity.username)
      .executeTakeFirst();
    if (existing === undefined) {
      const created = await insertUser(trx, { ...identity, passwordHash: null, source, now });
      if (created !== undefined) return created;
      throw HttpError.conflict('This account was created a moment ago; try again.');
    }
    if (existing.source !== source) {
      throw HttpError.forbidden(
        `The username "${identity.username}" belongs to an account that signs in another way; ask an administrator.`,
      );
    }
    await updateUser(trx, existing.id, {
      displayName: identity.displayName,
      groups: identity.groups,
      now,
    });
    return existing.id;
  });
  const user = await activeAuthUser(db, id, 'session');
  if (user === undefined) {
    const disabled = (await findUser(db, id))?.disabled === true;
    throw HttpError.forbidden(
      disabled
        ? 'This account is disabled; ask an administrator to enable it.'
        : 'This account could not be signed in.',
    );
  }
  return user;
}
