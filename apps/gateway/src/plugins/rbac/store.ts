// Roles and bindings in the store. Rules are JSON text, checked again when read back.
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database, RoleBindingsTable, RolesTable, SubjectKind } from '../db/schema.js';
import type { Rule } from './policy.js';
import { checkRules } from './validate.js';

export interface Role {
  id: string;
  name: string;
  builtin: boolean;
  rules: Rule[];
  createdAt: number;
  updatedAt: number;
}

export interface Binding {
  id: string;
  roleId: string;
  roleName: string;
  subjectKind: SubjectKind;
  subject: string;
  createdAt: number;
}

/** A rule as granted to someone, with the role it came from. */
export type GrantedRule = Rule & { role: string };

/** A stored value the gateway cannot read; the role is left out rather than half-applied. */
export class CorruptRoleError extends Error {
  override name = 'CorruptRoleError';
}

export function rolesStore(db: Kysely<Database>) {
  const bindingColumns = [
    'b.id',
    'b.role_id',
    'b.subject_kind',
    'b.subject',
    'b.created_at',
    'r.name as role_name',
  ] as const;
  const bindings = () =>
    db.selectFrom('role_bindings as b').innerJoin('roles as r', 'r.id', 'b.role_id');

  return {
    async listRoles(): Promise<Role[]> {
      const rows = await db.selectFrom('roles').selectAll().orderBy('name').execute();
      return rows.map(toRole);
    },

    async getRole(id: string): Promise<Role | undefined> {
      const row = await db.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toRole(row);
    },

    async createRole(input: { name: string; rules: Rule[] }, now: number): Promise<Role> {
      const row = {
        id: randomUUID(),
        name: input.name,
        builtin: 0 as const,
        rules: JSON.stringify(input.rules),
        created_at: now,
        updated_at: now,
      };
      await db.insertInto('roles').values(row).execute();
      return toRole(row);
    },

    async updateRole(id: string, input: { name: string; rules: Rule[] }, now: number) {
      await db
        .updateTable('roles')
        .set({ name: input.name, rules: JSON.stringify(input.rules), updated_at: now })
        .where('id', '=', id)
        .execute();
    },

    async deleteRole(id: string): Promise<void> {
      // Its bindings go with it (foreign key, on delete cascade).
      await db.deleteFrom('roles').where('id', '=', id).execute();
    },

    async listBindings(filter: {
      roleId?: string | undefined;
      subjectKind?: SubjectKind | undefined;
      subject?: string | undefined;
    }): Promise<Binding[]> {
      let query = bindings().select(bindingColumns);
      if (filter.roleId !== undefined) query = query.where('b.role_id', '=', filter.roleId);
      if (filter.subjectKind !== undefined) {
        query = query.where('b.subject_kind', '=', filter.subjectKind);
      }
      if (filter.subject !== undefined) query = query.where('b.subject', '=', filter.subject);
      const rows = await query.orderBy('b.subject_kind').orderBy('b.subject').execute();
      return rows.map(toBinding);
    },

    async getBinding(id: string): Promise<(Binding & { roleBuiltin: boolean }) | undefined> {
      const row = await bindings()
        .select([...bindingColumns, 'r.builtin as role_builtin'])
        .where('b.id', '=', id)
        .executeTakeFirst();
      return row && { ...toBinding(row), roleBuiltin: row.role_builtin === 1 };
    },

    async createBinding(
      input: { roleId: string; subjectKind: SubjectKind; subject: string },
      now: number,
    ): Promise<string> {
      const id = randomUUID();
      await db
        .insertInto('role_bindings')
        .values({
          id,
          role_id: input.roleId,
          subject_kind: input.subjectKind,
          subject: input.subject,
          created_at: now,
        })
        .execute();
      return id;
    },

    async updateBinding(
      id: string,
      input: { roleId: string; subjectKind: SubjectKind; subject: string },
    ): Promise<void> {
      await db
        .updateTable('role_bindings')
        .set({ role_id: input.roleId, subject_kind: input.subjectKind, subject: input.subject })
        .where('id', '=', id)
        .execute();
    },

    async deleteBinding(id: string): Promise<void> {
      await db.deleteFrom('role_bindings').where('id', '=', id).execute();
    },

    /** The rules of every role bound to this username or to one of these groups. */
    async rulesFor(subject: { username: string; groups: readonly string[] }): Promise<{
      rules: GrantedRule[];
      corrupt: string[];
    }> {
      const rows = await bindings()
        .select(['r.name', 'r.rules'])
        .where((eb) => {
          const user = eb.and([
            eb('b.subject_kind', '=', 'user'),
            eb('b.subject', '=', subject.username),
          ]);
          if (subject.groups.length === 0) return user;
          return eb.or([
            user,
            eb.and([
              eb('b.subject_kind', '=', 'group'),
              eb('b.subject', 'in', [...subject.groups]),
            ]),
          ]);
        })
        .orderBy('r.name')
        .execute();
      const rules: GrantedRule[] = [];
      const corrupt: string[] = [];
      const seen = new Set<string>();
      for (const row of rows) {
        // A user bound both directly and through a group holds the role once.
        if (seen.has(row.name)) continue;
        seen.add(row.name);
        try {
          for (const rule of parseRules(row.rules, row.name))
            rules.push({ ...rule, role: row.name });
        } catch {
          corrupt.push(row.name);
        }
      }
      return { rules, corrupt };
    },
  };
}

export type RolesStore = ReturnType<typeof rolesStore>;

function toRole(row: Selectable<RolesTable>): Role {
  return {
    id: row.id,
    name: row.name,
    builtin: row.builtin === 1,
    rules: parseRules(row.rules, row.name),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toBinding(row: Selectable<RoleBindingsTable> & { role_name: string }): Binding {
  return {
    id: row.id,
    roleId: row.role_id,
    roleName: row.role_name,
    subjectKind: row.subject_kind,
    subject: row.subject,
    createdAt: row.created_at,
  };
}

function parseRules(text: string, role: string): Rule[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CorruptRoleError(`role "${role}" holds rules that are not JSON`, { cause: err });
  }
  const checked = checkRules(value, '/rules');
  if (!checked.ok) {
    const first = checked.problems[0];
    throw new CorruptRoleError(
      `role "${role}" holds invalid rules: ${first?.field ?? ''} ${first?.problem ?? ''}`,
    );
  }
  return checked.value;
}
