// Test support for the resources and live plugins: the whole gateway (app.ts), with
// real sign-in (the live socket's guard needs tickets and Origin checks), short informer idle and
// batch times, the shared test cluster imported through the route, and people with given roles.
import { readFileSync } from 'node:fs';
import { parseKubeconfig } from '@binnacle/kube';
import type { FastifyInstance } from 'fastify';
import { expect, inject } from 'vitest';
import type { LiveOptions } from '../src/plugins/live/index.js';
import type { Rule } from '../src/plugins/rbac/index.js';
import type { ResourcesOptions } from '../src/plugins/resources/index.js';
import { signIn, testApp } from './app.js';
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
  const { app, close } = await testApp(
    // no health check in the middle of a test's count of upstream requests
    { BINNACLE_HEALTH_INTERVAL_SECONDS: '3600' },
    { audit: { flushIntervalMs: 20 }, resources: options.resources, live: options.live },
  );
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
    close,
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
