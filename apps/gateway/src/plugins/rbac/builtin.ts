// The built-in roles and the first-run binding, created at start when missing. Built-ins are
// allow-only: a deny in them would, since deny wins, take away what another role grants.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { verbs, type Rule } from './policy.js';

/** The group of the first-run administrator; bound to `admin` at every start. */
export const adminGroup = 'binnacle-admins';
/** Fixed so every replica seeds the same row, and so the API can refuse to delete it. */
export const adminBindingId = 'builtin-binnacle-admins';

// Core-group resources a viewer may read in full. Secrets are left out on purpose: a viewer may
// list and watch them (names, types, labels) but not get them, so a Secret's data is only for those
// who may `get` it. The resources plugin must therefore leave `data` and `stringData` out of Secret
// lists and watch events.
const coreReadable = [
  'pods',
  'services',
  'endpoints',
  'configmaps',
  'events',
  'namespaces',
  'nodes',
  'persistentvolumes',
  'persistentvolumeclaims',
  'replicationcontrollers',
  'serviceaccounts',
  'limitranges',
  'resourcequotas',
  'podtemplates',
];

const everyCluster = { clusters: ['*'], namespaces: ['*'] };

export const builtinRoles: Readonly<Record<'admin' | 'editor' | 'viewer', Rule[]>> = {
  // Everything, in every cluster and in the gateway itself ('').
  admin: [
    { clusters: ['*', ''], namespaces: ['*'], resources: ['*'], verbs: ['*'], effect: 'allow' },
  ],
  // Every verb but node-shell on every Kubernetes resource. Clusters '*' leaves out the gateway's
  // own resources (users, roles, audit…), which live at cluster ''.
  editor: [
    {
      ...everyCluster,
      resources: ['*'],
      verbs: verbs.filter((verb) => verb !== 'node-shell'),
      effect: 'allow',
    },
  ],
  // Read-only: every resource of a named group ('*/*', CRDs included) and the core ones above;
  // Secrets listed but never read.
  viewer: [
    {
      ...everyCluster,
      resources: ['*/*', ...coreReadable],
      verbs: ['get', 'list', 'watch'],
      effect: 'allow',
    },
    { ...everyCluster, resources: ['secrets'], verbs: ['list', 'watch'], effect: 'allow' },
  ],
};

/** Creates the built-in roles and the admin group's binding where missing; safe on every replica. */
export async function seedBuiltins(db: Kysely<Database>, now: number): Promise<void> {
  for (const [name, rules] of Object.entries(builtinRoles)) {
    await db
      .insertInto('roles')
      .values({
        id: `builtin-${name}`,
        name,
        builtin: 1,
        rules: JSON.stringify(rules),
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  const admin = await db
    .selectFrom('roles')
    .select('id')
    .where('name', '=', 'admin')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('role_bindings')
    .values({
      id: adminBindingId,
      role_id: admin.id,
      subject_kind: 'group',
      subject: adminGroup,
      created_at: now,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}
