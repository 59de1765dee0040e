// Administration of local accounts; the rbac plugin lets only administrators here.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../errors/index.js';
import type { AuthContext } from './context.js';
import { raise } from './person.js';
import { hashPassword, normalizeUsername, passwordProblem, usernameRule } from './credentials.js';
import { idParams, userCreate, userList, userPatch, userView } from './schemas.js';
import { revokeUserSessions } from './sessions.js';
import { revokeUserTokens } from './tokens.js';
import {
  bumpTokenGeneration,
  findUser,
  insertUser,
  listUsers,
  updateUser,
  type UserRecord,
} from './users.js';

function view(user: UserRecord): {
  id: string;
  username: string;
  displayName: string;
  source: UserRecord['source'];
  disabled: boolean;
  groups: string[];
  createdAt: string;
  updatedAt: string;
} {
  return {
    ...user,
    createdAt: new Date(user.createdAt).toISOString(),
    updatedAt: new Date(user.updatedAt).toISOString(),
  };
}

const groupNames = (groups: readonly string[] | undefined): string[] | undefined =>
  groups === undefined ? undefined : [...new Set(groups.map((g) => g.trim()).filter(Boolean))];

export function userRoutes(instance: FastifyInstance, context: AuthContext): void {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/users',
    {
      config: { rbac: { resource: 'users', verb: 'list' } },
      schema: { response: { 200: userList } },
    },
    async (request) => {
      instance.requireUser(request);
      return { items: (await listUsers(context.db)).map(view) };
    },
  );

  app.post(
    '/users',
    {
      config: { rbac: { resource: 'users', verb: 'create' } },
      schema: { body: userCreate, response: { 201: userView } },
    },
    async (request, reply) => {
      const actor = instance.requireUser(request);
      const username = normalizeUsername(request.body.username);
      if (username === undefined) throw HttpError.badRequest(usernameRule);
      const problem = passwordProblem(request.body.password, username);
      if (problem !== undefined) throw HttpError.badRequest(problem);
      const passwordHash = await hashPassword(request.body.password);
      const id = await context.db.transaction().execute((trx) =>
        insertUser(trx, {
          username,
          displayName: request.body.displayName?.trim() || username,
          passwordHash,
          source: 'local',
          groups: groupNames(request.body.groups) ?? [],
          now: Date.now(),
        }),
      );
      if (id === undefined) {
        throw HttpError.conflict(`A user named "${username}" already exists.`);
      }
      request.log.info({ userId: id, username, by: actor.id }, 'user created');
      const created = await findUser(context.db, id);
      if (created === undefined) throw new Error(`user ${id} vanished after insert`);
      return reply.status(201).send(view(created));
    },
  );

  app.patch(
    '/users/:id',
    {
      config: { rbac: { resource: 'users', verb: 'update' } },
      schema: { params: idParams, body: userPatch, response: { 200: userView } },
    },
    async (request) => {
      const actor = instance.requireUser(request);
      const { id } = request.params;
      const { disabled, displayName } = request.body;
      if (disabled === true && id === actor.id) {
        throw HttpError.conflict('You cannot disable your own account; ask another administrator.');
      }
      const groups = groupNames(request.body.groups);
      const now = Date.now();
      const found = await context.db.transaction().execute(async (trx) => {
        const changed = await updateUser(trx, id, {
          now,
          ...(disabled !== undefined ? { disabled } : {}),
          ...(displayName !== undefined ? { displayName: displayName.trim() || displayName } : {}),
          ...(groups !== undefined ? { groups } : {}),
        });
        if (changed && disabled === true) {
          // A disabled account keeps no way in: its sessions and tokens end with it.
          await revokeUserSessions(trx, id, { now });
          await revokeUserTokens(trx, id, now);
        }
        // Access tokens carry the groups they were issued with: those end with the change.
        if (changed && groups !== undefined) await bumpTokenGeneration(trx, { userIds: [id] });
        return changed;
      });
      if (!found) throw HttpError.notFound('There is no such user.');
      if (disabled === true) {
        await raise(instance, { cause: 'user-disabled', userId: id, by: actor.username });
      }
      if (groups !== undefined) {
        await raise(instance, { cause: 'groups-changed', userId: id, by: actor.username });
      }
      request.log.info(
        { userId: id, by: actor.id, fields: Object.keys(request.body) },
        'user updated',
      );
      const updated = await findUser(context.db, id);
      if (updated === undefined) throw HttpError.notFound('There is no such user.');
      return view(updated);
    },
  );
}
