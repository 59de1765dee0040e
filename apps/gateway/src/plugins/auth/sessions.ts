// Refresh sessions. A sign-in starts a family; each refresh spends the presented token and issues
// the next one in the same family. A spent token presented again means a copy is in other hands, so
// the whole family ends. The store keeps only SHA-256 digests of refresh tokens.
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { digest, newSecret } from './secrets.js';

export const refreshCookie = 'binnacle_refresh';
/** The refresh cookie goes only to the auth routes. */
export const refreshCookiePath = '/k8s-api/v1/auth';

export interface SessionLimits {
  /** A refresh token expires this long after it was issued. */
  idleMs: number;
  /** No family outlives its first sign-in by more than this. */
  maxMs: number;
}

export interface IssuedRefresh {
  userId: string;
  familyId: string;
  refreshToken: string;
  expiresAt: number;
}

export type RotateResult =
  | ({ kind: 'rotated' } & IssuedRefresh)
  /** A spent token came back: its family is now revoked. */
  | { kind: 'reused'; userId: string; familyId: string }
  /** Unknown, expired, or of a family that already ended. */
  | { kind: 'invalid' };

interface Client {
  userAgent: string | undefined;
  ip: string;
  now: number;
}

type Store = Kysely<Database> | Transaction<Database>;

export interface SessionStore {
  start(userId: string, client: Client): Promise<IssuedRefresh>;
  rotate(refreshToken: string, client: Client): Promise<RotateResult>;
  /** Ends the token's family; returns its user, or undefined for an unknown token. */
  end(refreshToken: string, now: number): Promise<string | undefined>;
  /** Ends a family at once (after reuse, or when its user turns out disabled). */
  endFamily(familyId: string, now: number): Promise<void>;
  /** Whether the family still has a current session and its user is enabled. */
  isLive(userId: string, familyId: string, now: number): Promise<boolean>;
  /**
   * Like `isLive`, for an access token: 'changed' when the person's groups or roles changed
   * after the token was issued (its generation is older).
   */
  accessState(options: {
    userId: string;
    familyId: string;
    generation: number;
    now: number;
  }): Promise<'live' | 'ended' | 'changed'>;
  /** Deletes families whose every token has expired. */
  sweep(now: number): Promise<void>;
}

export function createSessionStore(db: Kysely<Database>, limits: SessionLimits): SessionStore {
  async function insert(
    store: Store,
    session: { userId: string; familyId: string; expiresAt: number } & Client,
  ): Promise<IssuedRefresh> {
    const refreshToken = newSecret();
    await store
      .insertInto('sessions')
      .values({
        id: randomUUID(),
        user_id: session.userId,
        family_id: session.familyId,
        refresh_hash: digest(refreshToken),
        expires_at: session.expiresAt,
        revoked_at: null,
        created_at: session.now,
        user_agent: session.userAgent?.slice(0, 512) ?? null,
        ip: session.ip,
      })
      .execute();
    return {
      userId: session.userId,
      familyId: session.familyId,
      refreshToken,
      expiresAt: session.expiresAt,
    };
  }

  // A session of this family that is neither revoked nor expired, of a person not disabled.
  const liveSession = (where: { userId: string; familyId: string; now: number }) =>
    db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select('users.token_generation')
      .where('sessions.family_id', '=', where.familyId)
      .where('sessions.user_id', '=', where.userId)
      .where('sessions.revoked_at', 'is', null)
      .where('sessions.expires_at', '>', where.now)
      .where('users.disabled', '=', 0)
      .limit(1)
      .executeTakeFirst();

  return {
    start: (userId, client) =>
      insert(db, {
        userId,
        familyId: randomUUID(),
        expiresAt: client.now + Math.min(limits.idleMs, limits.maxMs),
        ...client,
      }),

    async rotate(refreshToken, client) {
      const { now } = client;
      const row = await db
        .selectFrom('sessions')
        .select(['id', 'user_id', 'family_id', 'expires_at', 'revoked_at'])
        .where('refresh_hash', '=', digest(refreshToken))
        .executeTakeFirst();
      if (row === undefined) return { kind: 'invalid' };
      const reused = { kind: 'reused', userId: row.user_id, familyId: row.family_id } as const;
      if (row.revoked_at !== null) {
        // A family that is still live had this token spent by a refresh: someone replays it.
        const ended = await revokeFamily(db, row.family_id, now);
        return ended > 0 ? reused : { kind: 'invalid' };
      }
      if (row.expires_at <= now) return { kind: 'invalid' };

      return db.transaction().execute(async (trx): Promise<RotateResult> => {
        const spent = await trx
          .updateTable('sessions')
          .set({ revoked_at: now })
          .where('id', '=', row.id)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        if (spent.numUpdatedRows === 0n) {
          // Another request spent the same token a moment ago: a replay all the same.
          await revokeFamily(trx, row.family_id, now);
          return reused;
        }
        const { started } = await trx
          .selectFrom('sessions')
          .select((eb) => eb.fn.min('created_at').as('started'))
          .where('family_id', '=', row.family_id)
          .executeTakeFirstOrThrow();
        const deadline = started + limits.maxMs;
        if (now >= deadline) return { kind: 'invalid' };
        const issued = await insert(trx, {
          userId: row.user_id,
          familyId: row.family_id,
          expiresAt: Math.min(now + limits.idleMs, deadline),
          ...client,
        });
        return { kind: 'rotated', ...issued };
      });
    },

    async end(refreshToken, now) {
      const row = await db
        .selectFrom('sessions')
        .select(['user_id', 'family_id'])
        .where('refresh_hash', '=', digest(refreshToken))
        .executeTakeFirst();
      if (row === undefined) return undefined;
      await revokeFamily(db, row.family_id, now);
      return row.user_id;
    },

    async endFamily(familyId, now) {
      await revokeFamily(db, familyId, now);
    },

    async isLive(userId, familyId, now) {
      return (await liveSession({ userId, familyId, now })) !== undefined;
    },

    async accessState({ userId, familyId, generation, now }) {
      const row = await liveSession({ userId, familyId, now });
      if (row === undefined) return 'ended';
      return row.token_generation > generation ? 'changed' : 'live';
    },

    async sweep(now) {
      await db
        .deleteFrom('sessions')
        .where('family_id', 'in', (eb) =>
          eb
            .selectFrom('sessions')
            .select('family_id')
            .groupBy('family_id')
            .having((h) => h.fn.max('expires_at'), '<=', now),
        )
        .execute();
    },
  };
}

/** Revokes every session of a user, except one family (the caller's own) when given. */
export async function revokeUserSessions(
  store: Store,
  userId: string,
  options: { now: number; exceptFamily?: string },
): Promise<void> {
  let query = store
    .updateTable('sessions')
    .set({ revoked_at: options.now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (options.exceptFamily !== undefined) {
    query = query.where('family_id', '!=', options.exceptFamily);
  }
  await query.execute();
}

async function revokeFamily(store: Store, familyId: string, now: number): Promise<number> {
  const result = await store
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('family_id', '=', familyId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
