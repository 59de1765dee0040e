// Personal access tokens, for kubectl and scripts: `bnl_pat_` and 43 random characters, shown once,
// stored as a SHA-256 digest, expiring, revocable.
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { digest, newSecret } from './secrets.js';
import { activeAuthUser } from './users.js';
import type { AuthUser } from './types.js';

export const tokenPrefix = 'bnl_pat_';
const tokenPattern = /^bnl_pat_[A-Za-z0-9_-]{43}$/;
const day = 86_400_000;
export const maxTokenLifetimeDays = 365;
/** `last_used_at` is written at most this often per token. */
const lastUsedResolutionMs = 60_000;
/** Live tokens a person may hold at once. */
export const maxTokensPerUser = 50;

export interface TokenRecord {
  id: string;
  name: string;
  createdAt: number;
  /** Null only for a token that does not expire (none made here). */
  expiresAt: number | null;
  lastUsedAt: number | null;
}

export type TokenCheck =
  | { kind: 'ok'; user: AuthUser; tokenId: string }
  | { kind: 'invalid' | 'expired' | 'revoked' | 'disabled' };

type Store = Kysely<Database> | Transaction<Database>;

export function isTokenLike(credential: string): boolean {
  return credential.startsWith(tokenPrefix);
}

/** Creates a token; undefined when the user already holds the maximum. */
export async function createToken(
  db: Kysely<Database>,
  options: { userId: string; name: string; expiresInDays: number; now: number },
): Promise<(TokenRecord & { token: string; expiresAt: number }) | undefined> {
  const { userId, name, now } = options;
  return db.transaction().execute(async (trx) => {
    const { count } = await trx
      .selectFrom('access_tokens')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirstOrThrow();
    if (Number(count) >= maxTokensPerUser) return undefined;
    const token = `${tokenPrefix}${newSecret()}`;
    const record = {
      id: randomUUID(),
      name,
      createdAt: now,
      expiresAt: now + options.expiresInDays * day,
      lastUsedAt: null,
    };
    await trx
      .insertInto('access_tokens')
      .values({
        id: record.id,
        user_id: userId,
        name,
        token_hash: digest(token),
        expires_at: record.expiresAt,
        revoked_at: null,
        last_used_at: null,
        created_at: now,
      })
      .execute();
    return { ...record, token };
  });
}

/** The user's tokens that were not revoked, expired ones included, newest first. */
export async function listTokens(db: Store, userId: string): Promise<TokenRecord[]> {
  const rows = await db
    .selectFrom('access_tokens')
    .select(['id', 'name', 'created_at', 'expires_at', 'last_used_at'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
  }));
}

/** Revokes one of the user's tokens; false when the user has no such live token. */
export async function revokeToken(
  db: Store,
  options: { userId: string; id: string; now: number },
): Promise<boolean> {
  const result = await db
    .updateTable('access_tokens')
    .set({ revoked_at: options.now })
    .where('id', '=', options.id)
    .where('user_id', '=', options.userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function revokeUserTokens(store: Store, userId: string, now: number): Promise<void> {
  await store
    .updateTable('access_tokens')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Checks a presented token and notes its use. */
export async function checkToken(
  db: Kysely<Database>,
  token: string,
  now: number,
): Promise<TokenCheck> {
  if (!tokenPattern.test(token)) return { kind: 'invalid' };
  const row = await db
    .selectFrom('access_tokens')
    .select(['id', 'user_id', 'expires_at', 'revoked_at', 'last_used_at'])
    .where('token_hash', '=', digest(token))
    .executeTakeFirst();
  if (row === undefined) return { kind: 'invalid' };
  if (row.revoked_at !== null) return { kind: 'revoked' };
  if (row.expires_at !== null && row.expires_at <= now) return { kind: 'expired' };
  const user = await activeAuthUser(db, row.user_id, 'token');
  if (user === undefined) return { kind: 'disabled' };
  if (row.last_used_at === null || now - row.last_used_at >= lastUsedResolutionMs) {
    await db
      .updateTable('access_tokens')
      .set({ last_used_at: now })
      .where('id', '=', row.id)
      .execute();
  }
  return { kind: 'ok', user, tokenId: row.id };
}
