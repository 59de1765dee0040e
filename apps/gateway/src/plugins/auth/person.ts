// Whether a person's access still holds, as stored now: for connections that outlive the request
// that opened them (WebSockets), which carry the person as they were when they signed in.
import type { FastifyInstance } from 'fastify';
import type { AuthContext } from './context.js';
import type { AuthUser } from './types.js';
import { activeAuthUser } from './users.js';

/** What a request proved who it is with: a session family, or a personal access token. */
export type Credential = { kind: 'session'; id: string } | { kind: 'token'; id: string };

export type PersonCheck =
  /** `user` as stored now: current groups and names. */
  { ok: true; user: AuthUser } | { ok: false; reason: string };

export async function checkPerson(
  context: AuthContext,
  user: AuthUser,
  credential: Credential | undefined,
): Promise<PersonCheck> {
  const now = Date.now();
  const current = await activeAuthUser(context.db, user.id, user.via);
  if (current === undefined) {
    return { ok: false, reason: 'Your account was disabled; ask an administrator.' };
  }
  if (credential?.kind === 'session') {
    if (!(await context.sessions.isLive(user.id, credential.id, now))) {
      return { ok: false, reason: 'Your session ended (signed out or revoked); sign in again.' };
    }
  } else if (credential?.kind === 'token') {
    const row = await context.db
      .selectFrom('access_tokens')
      .select(['revoked_at', 'expires_at'])
      .where('id', '=', credential.id)
      .where('user_id', '=', user.id)
      .executeTakeFirst();
    if (row === undefined || row.revoked_at !== null) {
      return { ok: false, reason: 'The personal access token of this connection was revoked.' };
    }
    if (row.expires_at !== null && row.expires_at <= now) {
      return { ok: false, reason: 'The personal access token of this connection has expired.' };
    }
  }
  return { ok: true, user: current };
}

/** Raises a revocation event when the revocation plugin is there (it is, but in some tests). */
export async function raise(
  app: FastifyInstance,
  event: Parameters<FastifyInstance['revocation']['raise']>[0],
): Promise<void> {
  if (app.hasDecorator('revocation')) await app.revocation.raise(event);
}
