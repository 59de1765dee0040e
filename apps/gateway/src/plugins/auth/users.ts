// Users and their groups in the store.
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database, UsersTable } from '../db/schema.js';
import type { AuthSource, AuthUser } from './types.js';

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  source: AuthSource;
  disabled: boolean;
  groups: string[];
  createdAt: number;
  updatedAt: number;
}

type UserRow = Pick<
  UsersTable,
  'id' | 'username' | 'display_name' | 'source' | 'created_at' | 'updated_at'
> & { disabled: number };

type Store = Kysely<Database> | Transaction<Database>;

export async function findLocalCredentials(
  db: Store,
  username: string,
): Promise<{ id: string; passwordHash: string | null; disabled: boolean } | undefined> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'password_hash', 'disabled'])
    .where('username', '=', username)
    .executeTakeFirst();
  return row && { id: row.id, passwordHash: row.password_hash, disabled: row.disabled === 1 };
}

export async function findUser(db: Store, id: string): Promise<UserRecord | undefined> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'source', 'disabled', 'created_at', 'updated_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toRecord(row, await groupsOf(db, [row.id]));
}

/** The user as a signed-in person; undefined when missing or disabled. */
export async function activeAuthUser(
  db: Store,
  id: string,
  via: AuthUser['via'],
): Promise<AuthUser | undefined> {
  const user = await findUser(db, id);
  if (user === undefined || user.disabled) return undefined;
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    groups: user.groups,
    source: user.source,
    via,
  };
}

export async function listUsers(db: Store): Promise<UserRecord[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'source', 'disabled', 'created_at', 'updated_at'])
    .orderBy('username')
    .execute();
  const groups = await groupsOf(db);
  return rows.map((row) => toRecord(row, groups));
}

export async function countUsers(db: Store): Promise<number> {
  const { count } = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(count);
}

/** Inserts a user unless the username is taken; returns the new id, or undefined when taken. */
export async function insertUser(
  trx: Transaction<Database>,
  user: {
    username: string;
    displayName: string;
    passwordHash: string | null;
    source: AuthSource;
    groups: readonly string[];
    now: number;
  },
): Promise<string | undefined> {
  const id = randomUUID();
  const result = await trx
    .insertInto('users')
    .values({
      id,
      username: user.username,
      display_name: user.displayName,
      password_hash: user.passwordHash,
      source: user.source,
      created_at: user.now,
      updated_at: user.now,
    })
    .onConflict((oc) => oc.column('username').doNothing())
    .executeTakeFirst();
  if (result.numInsertedOrUpdatedRows === 0n) return undefined;
  await setGroups(trx, id, user.groups, user.now);
  return id;
}

/** Replaces the user's groups, creating groups that do not exist yet. */
export async function setGroups(
  trx: Transaction<Database>,
  userId: string,
  groups: readonly string[],
  now: number,
): Promise<void> {
  const names = [...new Set(groups)];
  await trx.deleteFrom('user_groups').where('user_id', '=', userId).execute();
  if (names.length === 0) return;
  await trx
    .insertInto('groups')
    .values(names.map((name) => ({ id: randomUUID(), name, created_at: now })))
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const ids = await trx.selectFrom('groups').select('id').where('name', 'in', names).execute();
  await trx
    .insertInto('user_groups')
    .values(ids.map(({ id }) => ({ user_id: userId, group_id: id })))
    .execute();
}

/** Changes the given fields; returns false when there is no such user. */
export async function updateUser(
  trx: Transaction<Database>,
  id: string,
  patch: { disabled?: boolean; displayName?: string; groups?: readonly string[]; now: number },
): Promise<boolean> {
  const result = await trx
    .updateTable('users')
    .set({
      updated_at: patch.now,
      ...(patch.disabled !== undefined ? { disabled: patch.disabled ? 1 : 0 } : {}),
      ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
    })
    .where('id', '=', id)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return false;
  if (patch.groups !== undefined) await setGroups(trx, id, patch.groups, patch.now);
  return true;
}

/** The person's token generation now (0 for someone without a row, who has no tokens either). */
export async function tokenGeneration(db: Store, userId: string): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select('token_generation')
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.token_generation ?? 0;
}

/**
 * Ends the access tokens of these people (by id, by username, or by membership of a group): their
 * next request gets 401 and their browser refreshes into a token of the new generation.
 */
export async function bumpTokenGeneration(
  db: Store,
  who: { userIds?: readonly string[]; usernames?: readonly string[]; groups?: readonly string[] },
): Promise<void> {
  const userIds = [...(who.userIds ?? [])];
  const usernames = [...(who.usernames ?? [])];
  const groups = [...(who.groups ?? [])];
  if (userIds.length + usernames.length + groups.length === 0) return;
  await db
    .updateTable('users')
    .set((eb) => ({ token_generation: eb('token_generation', '+', 1) }))
    .where((eb) =>
      eb.or([
        ...(userIds.length > 0 ? [eb('id', 'in', userIds)] : []),
        ...(usernames.length > 0 ? [eb('username', 'in', usernames)] : []),
        ...(groups.length > 0
          ? [
              eb(
                'id',
                'in',
                eb
                  .selectFrom('user_groups')
                  .innerJoin('groups', 'groups.id', 'user_groups.group_id')
                  .select('user_groups.user_id')
                  .where('groups.name', 'in', groups),
              ),
            ]
          : []),
      ]),
    )
    .execute();
}

export async function setPasswordHash(
  db: Store,
  userId: string,
  passwordHash: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: passwordHash, updated_at: now })
    .where('id', '=', userId)
    .execute();
}

/** Group names by user id: of the given users, or of everyone. */
async function groupsOf(db: Store, userIds?: string[]): Promise<Map<string, string[]>> {
  const byUser = new Map<string, string[]>();
  let query = db
    .selectFrom('user_groups')
    .innerJoin('groups', 'groups.id', 'user_groups.group_id')
    .select(['user_groups.user_id', 'groups.name'])
    .orderBy('groups.name');
  if (userIds !== undefined) query = query.where('user_groups.user_id', 'in', userIds);
  const rows = await query.execute();
  for (const { user_id: userId, name } of rows) {
    const list = byUser.get(userId) ?? [];
    list.push(name);
    byUser.set(userId, list);
  }
  return byUser;
}

function toRecord(row: UserRow, groups: Map<string, string[]>): UserRecord {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    source: row.source,
    disabled: row.disabled === 1,
    groups: groups.get(row.id) ?? [],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
