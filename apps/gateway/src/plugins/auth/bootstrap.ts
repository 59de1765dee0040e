// The first administrator: when the store holds no user at all, one local account in the
// administrators' group, with the configured password or a generated one printed once.
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { AuthConfig } from '../../config/auth.js';
import type { Database } from '../db/schema.js';
import { generatePassword, hashPassword } from './credentials.js';
import { countUsers, insertUser } from './users.js';

import { adminGroup } from '../rbac/builtin.js';

/** The group the first administrator joins; rbac binds it to the built-in admin role. */
export { adminGroup };

export async function ensureFirstAdmin(options: {
  db: Kysely<Database>;
  config: AuthConfig;
  log: FastifyBaseLogger;
  /** Where a generated password goes: the terminal, never the log. */
  print: (text: string) => void;
}): Promise<void> {
  const { db, config, log } = options;
  if ((await countUsers(db)) > 0) return;
  const generated = config.adminPassword === undefined ? generatePassword() : undefined;
  const password = config.adminPassword?.reveal() ?? generated ?? '';
  const passwordHash = await hashPassword(password);
  const now = Date.now();
  const id = await db.transaction().execute(async (trx) =>
    // Replicas starting together on one PostgreSQL may race here; the username is unique.
    insertUser(trx, {
      username: config.adminUsername,
      displayName: 'Administrator',
      passwordHash,
      source: 'local',
      groups: [adminGroup],
      now,
    }),
  );
  if (id === undefined) return;
  log.info(
    {
      username: config.adminUsername,
      group: adminGroup,
      password: generated === undefined ? 'from BINNACLE_ADMIN_PASSWORD' : 'generated',
    },
    'created the first administrator',
  );
  if (generated !== undefined) {
    options.print(
      [
        '',
        `Binnacle created the administrator "${config.adminUsername}" with this password:`,
        '',
        `    ${generated}`,
        '',
        'It is shown only this once. Sign in and change it now (account menu, or',
        'POST /k8s-api/v1/me/password); or set BINNACLE_ADMIN_PASSWORD before the first start.',
        '',
        '',
      ].join('\n'),
    );
  }
}
