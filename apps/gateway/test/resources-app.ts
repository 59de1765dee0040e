// Test support for the resources and live plugins: the gateway's plugins in app.ts order, with
// real sign-in (the live socket's guard needs tickets and Origin checks), short informer idle and
// batch times, the shared test cluster imported through the route, and people with given roles.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseKubeconfig } from '@binnacle/kube';
import Fastify, { type FastifyInstance } from 'fastify';
import { expect, inject } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import audit from '../src/plugins/audit/index.js';
import auth from '../src/plugins/auth/index.js';
import clusters from '../src/plugins/clusters/index.js';
import db from '../src/plugins/db/index.js';
import errors from '../src/plugins/errors/index.js';
import keyring from '../src/plugins/keyring/index.js';
import live, { type LiveOptions } from '../src/plugins/live/index.js';
import ops from '../src/plugins/ops/index.js';
import rbac, { type Rule } from '../src/plugins/rbac/index.js';
import resources, { type ResourcesOptions } from '../src/plugins/resources/index.js';
import security from '../src/plugins/security/index.js';
import sockets from '../src/plugins/sockets/index.js';
import { signIn, testAdminPassword } from './app.js';
import { adminKubeconfig } from './clusters-cluster.js';
import { eventually } from './resources-cluster.js';

if (process.env.VITEST === undefined) throw new Error('resources-app.ts is test support only');

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test cluster's restricted kubeconfig (@binnacle/testcluster global setup). */
    viewerKubeconfig: string;
  }
}

function viewerKubeconfig(): { text: string; context: string } {
  const text = readFileSync(inject('viewerKubeconfig'), 'utf8');
  const context = parseKubeconfig(text).contexts[0]?.name;
  if (context === undefined) throw new Error('the viewer kubeconfig has no context');
  return { text, context };
}

export interface Person {
  username: string;
  /** Authorization header with the person's access token. */
  headers: Record<string, string>;
}

export interface ResourcesTestApp {
  app: FastifyInstance;
  admin: Person;
  /**
   * Imports the test cluster under `name` (gateway mode) with its admin credential, or with the
   * restricted viewer's (who may read only the `demo` namespace); its id.
   */
  importCluster: (name: string, options?: { viewer?: boolean }) => Promise<string>;
  /** A local user bound to a role of these rules, signed in. */
  person: (username: string, rules: Rule[]) => Promise<Person>;
  /** A single-use WebSocket ticket for the person. */
  ticket: (person: Person) => Promise<string>;
  close: () => Promise<void>;
}

const password = 'a-long-test-password-0123';

export async function resourcesTestApp(
  options: { resources?: ResourcesOptions; live?: LiveOptions } = {},
): Promise<ResourcesTestApp> {
  const dir = await mkdtemp(join(tmpdir(), 'binnacle-resources-'));
  const config = loadConfig({
    BINNACLE_LOG_LEVEL: 'silent',
    BINNACLE_DATA_DIR: dir,
    BINNACLE_KEYS: `test:${randomBytes(32).toString('base64')}`,
    BINNACLE_ACTIVE_KEY: 'test',
    BINNACLE_ADMIN_PASSWORD: testAdminPassword,
    // no health check in the middle of a test's count of upstream requests
    BINNACLE_HEALTH_INTERVAL_SECONDS: '3600',
  });
  const app = Fastify({ logger: false });
  await app.register(errors);
  await app.register(security, config.security);
  await app.register(db, config.db);
  await app.register(keyring, config.keyring);
  await app.register(ops);
  await app.register(rbac);
  await app.register(audit, { flushIntervalMs: 20 });
  await app.register(auth, config.auth);
  await app.register(clusters, config.clusters);
  await app.register(sockets);
  await app.register(resources, options.resources ?? {});
  await app.register(live, options.live ?? {});
  await app.ready();

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const admin: Person = { username: 'admin', headers: bearer((await signIn(app)).accessToken) };

  const post = async (url: string, payload: object): Promise<{ id: string }> => {
    const res = await app.inject({ method: 'POST', url, headers: admin.headers, payload });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json<{ id: string }>();
  };

  return {
    app,
    admin,
    importCluster: async (name, importOptions = {}) => {
      const kubeconfig = importOptions.viewer === true ? viewerKubeconfig() : adminKubeconfig();
      const res = await app.inject({
        method: 'POST',
        url: '/k8s-api/v1/clusters/import',
        headers: admin.headers,
        payload: {
          kubeconfig: kubeconfig.text,
          names: { [kubeconfig.context]: name },
          identityMode: 'gateway',
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      const id = res.json<{ items: { id: string }[] }>().items[0]?.id ?? '';
      // the first health check runs at import; let it end before a test counts requests
      await eventually(() => app.clusters.health(id).checkedAt !== null);
      return id;
    },
    person: async (username, rules) => {
      await post('/k8s-api/v1/users', { username, password });
      const role = await post('/k8s-api/v1/roles', { name: `role-of-${username}`, rules });
      await post('/k8s-api/v1/rolebindings', {
        roleId: role.id,
        subjectKind: 'user',
        subject: username,
      });
      return { username, headers: bearer((await signIn(app, username, password)).accessToken) };
    },
    ticket: async (person) => {
      const res = await app.inject({
        method: 'POST',
        url: '/k8s-api/v1/auth/ticket',
        headers: person.headers,
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ ticket: string }>().ticket;
    },
    close: async () => {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Rules of a role: these verbs on these resources, in these namespaces of every cluster. */
export function allow(options: {
  resources: string[];
  verbs: string[];
  namespaces?: string[];
}): Rule[] {
  return [
    {
      clusters: ['*'],
      namespaces: options.namespaces ?? ['*'],
      resources: options.resources,
      verbs: options.verbs,
      effect: 'allow',
    },
  ];
}
