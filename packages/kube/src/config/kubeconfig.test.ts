import { describe, expect, it } from 'vitest';
import { KubeError } from '../errors.ts';
import { parseKubeconfig } from './kubeconfig.ts';

// Stands in for every credential: no message may ever contain it.
const SECRET = 'SENTINEL-credential';

type Tree = Record<string, unknown>;

interface Config {
  clusters: unknown[];
  users: unknown[];
  contexts: unknown[];
  [field: string]: unknown;
}

function base(): Config {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'prod',
        cluster: { server: 'https://prod.example.com:6443', 'certificate-authority-data': 'Zm9v' },
      },
    ],
    users: [{ name: 'alice', user: { token: SECRET } }],
    contexts: [{ name: 'prod', context: { cluster: 'prod', user: 'alice', namespace: 'apps' } }],
    'current-context': 'prod',
  };
}

/** `base()` with `change` applied, as JSON text (JSON is YAML). */
function text(change: (tree: Config) => void): string {
  const tree = base();
  change(tree);
  return JSON.stringify(tree);
}

const cluster = (name: string, fields: Tree): Tree => ({ name, cluster: fields });
const user = (name: string, fields: Tree): Tree => ({ name, user: fields });
const context = (name: string, fields: Tree): Tree => ({ name, context: fields });
const server = 'https://example.com';

function failure(input: string): KubeError {
  try {
    parseKubeconfig(input);
  } catch (err) {
    if (err instanceof KubeError) return err;
    throw err;
  }
  throw new Error('parseKubeconfig accepted the input');
}

describe('parseKubeconfig refuses', () => {
  const cases: { name: string; input: string; message: string }[] = [
    {
      name: 'YAML that does not parse, without quoting the line',
      input: `users:\n- name: a\n  user:\n    token: ${SECRET}\n   bad: [`,
      message: 'kubeconfig is not valid YAML or JSON (BAD_INDENT at line 5, column 1)',
    },
    {
      name: 'a duplicate key',
      input: 'clusters: []\nclusters: []',
      message: 'kubeconfig is not valid YAML or JSON (DUPLICATE_KEY at line 2, column 1)',
    },
    { name: 'an empty file', input: '', message: 'kubeconfig is empty' },
    { name: 'a list', input: '- a\n- b', message: 'kubeconfig must be a YAML or JSON object' },
    { name: 'a scalar', input: '"hello"', message: 'kubeconfig must be a YAML or JSON object' },
    {
      name: 'another kind',
      input: text((t) => (t.kind = 'Secret')),
      message: 'kind is "Secret"; a kubeconfig has kind Config',
    },
    {
      name: 'clusters that are not a list',
      input: text((t) => Object.assign(t, { clusters: { prod: {} } })),
      message:
        'clusters must be a list; contexts[0].context.cluster names cluster "prod", which is not in clusters',
    },
    {
      name: 'a cluster entry that is not an object',
      input: text((t) => t.clusters.push('staging')),
      message: 'clusters[1] must be an object',
    },
    {
      name: 'a cluster without a name',
      input: text((t) => t.clusters.push({ cluster: { server } })),
      message: 'clusters[1].name is missing',
    },
    {
      name: 'a duplicate cluster name',
      input: text((t) => t.clusters.push(cluster('prod', { server }))),
      message: 'clusters[1].name "prod" is also the name of clusters[0]',
    },
    {
      name: 'a cluster without its cluster object',
      input: text((t) => t.clusters.push({ name: 'staging' })),
      message: 'clusters[1].cluster is missing',
    },
    {
      name: 'a missing server',
      input: text((t) => t.clusters.push(cluster('staging', { 'tls-server-name': 'x' }))),
      message: 'clusters[1].cluster.server is missing',
    },
    {
      name: 'a server that is not an http(s) URL',
      input: text((t) => t.clusters.push(cluster('staging', { server: 'ftp://example.com' }))),
      message: 'clusters[1].cluster.server must be an https:// or http:// URL',
    },
    {
      name: 'a server without a scheme',
      input: text((t) => t.clusters.push(cluster('staging', { server: 'example.com:6443' }))),
      message: 'clusters[1].cluster.server must be an https:// or http:// URL',
    },
    {
      name: 'a server with a password in it',
      input: text((t) =>
        t.clusters.push(cluster('staging', { server: `https://u:${SECRET}@example.com` })),
      ),
      message: 'clusters[1].cluster.server must not carry a user name or password',
    },
    {
      name: 'a server with a query',
      input: text((t) => t.clusters.push(cluster('staging', { server: `${server}/?a=b` }))),
      message: 'clusters[1].cluster.server must not have a query or fragment',
    },
    {
      name: 'bad base64 in certificate-authority-data',
      input: text((t) =>
        t.clusters.push(cluster('staging', { server, 'certificate-authority-data': 'Zm9v!' })),
      ),
      message: 'clusters[1].cluster.certificate-authority-data is not valid base64',
    },
    {
      name: 'both certificate-authority and its data',
      input: text((t) =>
        t.clusters.push(
          cluster('staging', {
            server,
            'certificate-authority': '/ca.crt',
            'certificate-authority-data': 'Zm9v',
          }),
        ),
      ),
      message:
        'clusters[1].cluster sets both certificate-authority and certificate-authority-data; keep one',
    },
    {
      name: 'insecure-skip-tls-verify as a string',
      input: text((t) =>
        t.clusters.push(cluster('staging', { server, 'insecure-skip-tls-verify': 'yes' })),
      ),
      message: 'clusters[1].cluster.insecure-skip-tls-verify must be true or false',
    },
    {
      name: 'a proxy-url of another scheme',
      input: text((t) =>
        t.clusters.push(cluster('staging', { server, 'proxy-url': 'ftp://proxy' })),
      ),
      message: 'clusters[1].cluster.proxy-url must be an http://, https:// or socks5:// URL',
    },
    {
      name: 'a token that is a number',
      input: text((t) => t.users.push(user('bob', { token: 12345 }))),
      message: 'users[1].user.token must be a string (put it in quotes)',
    },
    {
      name: 'bad base64 in client-key-data, naming the field',
      input: text((t) =>
        t.users.push(
          user('bob', { 'client-certificate-data': 'Zm9v', 'client-key-data': `${SECRET}!` }),
        ),
      ),
      message: 'users[1].user.client-key-data is not valid base64',
    },
    {
      name: 'bad base64 in client-certificate-data',
      input: text((t) =>
        t.users.push(user('bob', { 'client-certificate-data': 'Zm9', 'client-key-data': 'Zm9v' })),
      ),
      message: 'users[1].user.client-certificate-data is not valid base64',
    },
    {
      name: 'a client certificate without a key',
      input: text((t) => t.users.push(user('bob', { 'client-certificate-data': 'Zm9v' }))),
      message: 'users[1].user has a client certificate but no client-key or client-key-data',
    },
    {
      name: 'a token and basic auth together',
      input: text((t) =>
        t.users.push(user('bob', { token: SECRET, username: 'bob', password: SECRET })),
      ),
      message: 'users[1].user sets both a token and a username/password; keep one',
    },
    {
      name: 'exec without a command',
      input: text((t) => t.users.push(user('bob', { exec: { apiVersion: 'v1' } }))),
      message: 'users[1].user.exec.command is missing',
    },
    {
      name: 'exec and auth-provider together',
      input: text((t) =>
        t.users.push(user('bob', { exec: { command: 'aws' }, 'auth-provider': { name: 'oidc' } })),
      ),
      message: 'users[1].user sets both exec and auth-provider; keep one',
    },
    {
      name: 'as-groups without as',
      input: text((t) => t.users.push(user('bob', { 'as-groups': ['admins'] }))),
      message: 'users[1].user.as-groups needs users[1].user.as (the user to impersonate)',
    },
    {
      name: 'as-groups with a non-string',
      input: text((t) => t.users.push(user('bob', { as: 'carol', 'as-groups': ['a', 7] }))),
      message: 'users[1].user.as-groups[1] must be a string (put it in quotes)',
    },
    {
      name: 'as-user-extra that is not lists of strings',
      input: text((t) =>
        t.users.push(user('bob', { as: 'carol', 'as-user-extra': { scopes: 'x' } })),
      ),
      message: 'users[1].user.as-user-extra.scopes must be a list of strings',
    },
    {
      name: 'a duplicate user name',
      input: text((t) => t.users.push(user('alice', { token: SECRET }))),
      message: 'users[1].name "alice" is also the name of users[0]',
    },
    {
      name: 'a context naming a missing user',
      input: text((t) => (t.contexts = [context('prod', { cluster: 'prod', user: 'bob' })])),
      message: 'contexts[0].context.user names user "bob", which is not in users',
    },
    {
      name: 'a context naming a missing cluster',
      input: text((t) => t.contexts.push(context('dev', { cluster: 'dev', user: 'alice' }))),
      message: 'contexts[1].context.cluster names cluster "dev", which is not in clusters',
    },
    {
      name: 'a context without a cluster',
      input: text((t) => t.contexts.push(context('dev', { user: 'alice' }))),
      message: 'contexts[1].context.cluster is missing',
    },
    {
      name: 'a namespace that is not a name',
      input: text((t) =>
        t.contexts.push(context('dev', { cluster: 'prod', user: 'alice', namespace: 'Apps!' })),
      ),
      message:
        'contexts[1].context.namespace must be a namespace name (lowercase letters, digits and "-", at most 63)',
    },
    {
      name: 'a duplicate context name',
      input: text((t) => t.contexts.push(context('prod', { cluster: 'prod', user: 'alice' }))),
      message: 'contexts[1].name "prod" is also the name of contexts[0]',
    },
    {
      name: 'several problems at once, all of them',
      input: text((t) => {
        t.clusters.push(cluster('staging', {}));
        t.users.push(user('bob', { password: 1 }));
      }),
      message:
        'clusters[1].cluster.server is missing; users[1].user.password must be a string (put it in quotes)',
    },
  ];

  it.each(cases)('$name', ({ input, message }) => {
    const err = failure(input);
    expect(err.reason).toBe('InvalidConfig');
    expect(err.code).toBe(0);
    expect(err.message).toBe(message);
    expect(JSON.stringify(err.toJSON())).not.toContain(SECRET);
  });

  it('stops listing after 20 problems', () => {
    const err = failure(JSON.stringify({ clusters: Array.from({ length: 25 }, () => 1) }));
    const listed = Array.from({ length: 20 }, (_, i) => `clusters[${i}] must be an object`);
    expect(err.message).toBe([...listed, 'and 5 more problems'].join('; '));
    expect(err.details?.causes).toHaveLength(20);
  });

  it('names every problem as a cause with its field', () => {
    const err = failure(text((t) => t.clusters.push(cluster('staging', { server: 'nope' }))));
    expect(err.details?.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'clusters[1].cluster.server',
        message: 'clusters[1].cluster.server must be an https:// or http:// URL',
      },
    ]);
  });
});
