// Test support for the rbac and audit tests (it belongs in test/; it lives here until it may move):
// errors + db + rbac + audit, and an onRequest hook that takes `request.user` from the
// `x-test-user` and `x-test-groups` headers in place of the auth plugin. It refuses to load
// outside vitest, so it can never sign anyone in for real.
import type { EventEmitter } from 'node:events';
import type { FastifyInstance } from 'fastify';
import { as, baseTestApp, testUser } from './header-user.js';
import type { DbConfig } from '../src/config/db.js';
import audit, { type AuditPluginOptions } from '../src/plugins/audit/index.js';
import rbac from '../src/plugins/rbac/index.js';

export interface RbacTestApp {
  app: FastifyInstance;
  db: DbConfig;
  /** Closes the app; the SQLite file is removed by `cleanUp`. */
  close: () => Promise<void>;
  cleanUp: () => Promise<void>;
}

export interface RbacTestOptions {
  /** A database to use; a fresh SQLite file otherwise. */
  db?: DbConfig;
  /** Routes and hooks of the test, registered after the plugins. */
  routes?: (app: FastifyInstance) => void;
  audit?: AuditPluginOptions;
  /** Decorated as `app.authEvents`, as the auth plugin will. */
  authEvents?: EventEmitter;
}

export async function rbacTestApp(options: RbacTestOptions = {}): Promise<RbacTestApp> {
  const {
    app,
    db: config,
    removeFiles,
  } = await baseTestApp({
    prefix: 'rbac',
    db: options.db,
    authEvents: options.authEvents,
  });
  await app.register(rbac);
  await app.register(audit, options.audit ?? {});
  options.routes?.(app);
  await app.ready();
  return {
    app,
    db: config,
    close: () => app.close(),
    cleanUp: removeFiles,
  };
}

export { as, testUser };
