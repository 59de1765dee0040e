// Roles and bindings: /k8s-api/v1/roles and /k8s-api/v1/rolebindings. Every change forgets the
// cached rules, so it applies at once on this replica (on others within the cache's few seconds).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { HttpError } from '../errors/index.js';
import { adminGroup } from './builtin.js';
import { apiPrefix } from './enforce.js';
import { binding, bindingInput, bindingQuery, idParams, role, roleInput } from './schemas.js';
import type { Binding, Role, RolesStore } from './store.js';
import { checkRole } from './validate.js';

const noContent = { 204: Type.Null() };

/** Whom a binding names. */
type Subject = Pick<Binding, 'subjectKind' | 'subject'>;

export default function routes(app: FastifyInstance, store: RolesStore): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const roles = (verb: string) => ({ rbac: { resource: 'roles', verb } });
  const rolebindings = (verb: string) => ({ rbac: { resource: 'rolebindings', verb } });
  // The access tokens of the people concerned end (they carry the roles of their time), and
  // connections opened under the old rules are checked again at once, on every replica.
  const changed = async (
    cause: 'roles-changed' | 'binding-changed',
    request: FastifyRequest,
    subjects: readonly Subject[],
  ): Promise<void> => {
    app.rbac.invalidate();
    if (app.hasDecorator('revokeAccessTokens') && subjects.length > 0) {
      await app.revokeAccessTokens({
        usernames: subjects.filter((s) => s.subjectKind === 'user').map((s) => s.subject),
        groups: subjects.filter((s) => s.subjectKind === 'group').map((s) => s.subject),
      });
    }
    if (app.hasDecorator('revocation')) {
      await app.revocation.raise({ cause, ...(request.user ? { by: request.user.username } : {}) });
    }
  };

  api.get(
    `${apiPrefix}/roles`,
    {
      config: roles('list'),
      schema: { response: { 200: Type.Object({ items: Type.Array(role) }) } },
    },
    async () => ({ items: await store.listRoles() }),
  );

  api.get(
    `${apiPrefix}/roles/:id`,
    { config: roles('get'), schema: { params: idParams, response: { 200: role } } },
    async (request) => findRole(store, request.params.id),
  );

  api.post(
    `${apiPrefix}/roles`,
    { config: roles('create'), schema: { body: roleInput, response: { 201: role } } },
    async (request, reply) => {
      const input = validRole(request.body);
      const created = await unique(store.createRole(input, Date.now()), roleTaken(input.name));
      await changed('roles-changed', request, []);
      return reply.status(201).send(created);
    },
  );

  api.put(
    `${apiPrefix}/roles/:id`,
    {
      config: roles('update'),
      schema: { params: idParams, body: roleInput, response: { 200: role } },
    },
    async (request) => {
      const current = await findRole(store, request.params.id);
      refuseBuiltin(current);
      const input = validRole(request.body);
      const bound = await store.listBindings({ roleId: current.id });
      await unique(store.updateRole(current.id, input, Date.now()), roleTaken(input.name));
      await changed('roles-changed', request, bound);
      return findRole(store, current.id);
    },
  );

  api.delete(
    `${apiPrefix}/roles/:id`,
    { config: roles('delete'), schema: { params: idParams, response: noContent } },
    async (request, reply) => {
      refuseBuiltin(await findRole(store, request.params.id));
      const bound = await store.listBindings({ roleId: request.params.id });
      await store.deleteRole(request.params.id);
      await changed('roles-changed', request, bound);
      return reply.status(204).send(null);
    },
  );

  api.get(
    `${apiPrefix}/rolebindings`,
    {
      config: rolebindings('list'),
      schema: {
        querystring: bindingQuery,
        response: { 200: Type.Object({ items: Type.Array(binding) }) },
      },
    },
    async (request) => ({ items: await store.listBindings(request.query) }),
  );

  api.get(
    `${apiPrefix}/rolebindings/:id`,
    { config: rolebindings('get'), schema: { params: idParams, response: { 200: binding } } },
    async (request) => findBinding(store, request.params.id),
  );

  api.post(
    `${apiPrefix}/rolebindings`,
    { config: rolebindings('create'), schema: { body: bindingInput, response: { 201: binding } } },
    async (request, reply) => {
      await roleMustExist(store, request.body.roleId);
      const id = await unique(store.createBinding(request.body, Date.now()), bindingTaken());
      await changed('binding-changed', request, [request.body]);
      return reply.status(201).send(await findBinding(store, id));
    },
  );

  api.put(
    `${apiPrefix}/rolebindings/:id`,
    {
      config: rolebindings('update'),
      schema: { params: idParams, body: bindingInput, response: { 200: binding } },
    },
    async (request) => {
      const before = await findBinding(store, request.params.id);
      refuseBootstrap(before);
      await roleMustExist(store, request.body.roleId);
      await unique(store.updateBinding(request.params.id, request.body), bindingTaken());
      await changed('binding-changed', request, [before, request.body]);
      return findBinding(store, request.params.id);
    },
  );

  api.delete(
    `${apiPrefix}/rolebindings/:id`,
    { config: rolebindings('delete'), schema: { params: idParams, response: noContent } },
    async (request, reply) => {
      const before = await findBinding(store, request.params.id);
      refuseBootstrap(before);
      await store.deleteBinding(request.params.id);
      await changed('binding-changed', request, [before]);
      return reply.status(204).send(null);
    },
  );
}

function validRole(body: unknown): { name: string; rules: Role['rules'] } {
  const checked = checkRole(body);
  if (checked.ok) return checked.value;
  const [first] = checked.problems;
  throw HttpError.badRequest(
    `Invalid request: body${first?.field ?? ''} ${first?.problem ?? 'is not a role'}`,
    { details: checked.problems },
  );
}

async function findRole(store: RolesStore, id: string): Promise<Role> {
  const found = await store.getRole(id);
  if (found === undefined) throw HttpError.notFound(`No role has id "${id}".`);
  return found;
}

async function findBinding(
  store: RolesStore,
  id: string,
): Promise<Binding & { roleBuiltin: boolean }> {
  const found = await store.getBinding(id);
  if (found === undefined) throw HttpError.notFound(`No role binding has id "${id}".`);
  return found;
}

async function roleMustExist(store: RolesStore, id: string): Promise<void> {
  if ((await store.getRole(id)) === undefined) {
    throw HttpError.badRequest(`Invalid request: body/roleId names no role ("${id}").`, {
      details: [{ field: '/roleId', problem: 'names no role' }],
    });
  }
}

function refuseBuiltin(found: Role): void {
  if (found.builtin) {
    throw HttpError.conflict(
      `The built-in role "${found.name}" cannot be changed or deleted; create a role of your own instead.`,
    );
  }
}

// The first-run administrators' binding is what keeps someone able to administer the gateway.
function refuseBootstrap(found: Binding & { roleBuiltin: boolean }): void {
  if (
    found.roleBuiltin &&
    found.roleName === 'admin' &&
    found.subjectKind === 'group' &&
    found.subject === adminGroup
  ) {
    throw HttpError.conflict(
      `The binding of group "${adminGroup}" to "admin" is built in; to take administration away from someone, remove them from the group.`,
    );
  }
}

const roleTaken = (name: string) => () =>
  HttpError.conflict(`A role named "${name}" already exists.`);
const bindingTaken = () => () => HttpError.conflict('That role is already bound to that subject.');

/** Runs a write, turning a unique-constraint violation (on either dialect) into `conflict()`. */
async function unique<T>(write: Promise<T>, conflict: () => HttpError): Promise<T> {
  try {
    return await write;
  } catch (err) {
    const code: unknown = err instanceof Error ? Reflect.get(err, 'code') : undefined;
    if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE') throw conflict();
    throw err;
  }
}
