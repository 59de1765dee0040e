import { mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClusterConnection } from '../connection.ts';
import { KubeError } from '../errors.ts';
import { parseKubeconfig, type Kubeconfig } from './kubeconfig.ts';
import { localPolicy, uploadPolicy } from './policy.ts';
import { connectionFromKubeconfig, listContexts } from './resolve.ts';

const SECRET = 'SENTINEL-credential';

function kubeconfig(tree: Record<string, unknown>): Kubeconfig {
  return parseKubeconfig(JSON.stringify(tree));
}

async function tokenOf(connection: ClusterConnection): Promise<string | undefined> {
  const { token } = connection;
  return typeof token === 'function' ? await token() : token;
}

function refusal(run: () => unknown): KubeError {
  try {
    run();
  } catch (err) {
    if (err instanceof KubeError) return err;
    throw err;
  }
  throw new Error('expected a KubeError');
}

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'binnacle-kubeconfig-'));
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

describe('connectionFromKubeconfig', () => {
  const mixed = kubeconfig({
    clusters: [
      {
        name: 'prod',
        cluster: { server: 'https://prod.example.com:6443/', 'certificate-authority-data': 'Zm9v' },
      },
      {
        name: 'lab',
        cluster: { server: 'https://lab.example.com', 'insecure-skip-tls-verify': true },
      },
    ],
    users: [
      { name: 'alice', user: { token: SECRET } },
      { name: 'eks', user: { exec: { command: 'aws', args: ['eks', 'get-token'] } } },
      { name: 'oidc', user: { 'auth-provider': { name: 'oidc' } } },
    ],
    contexts: [
      { name: 'prod', context: { cluster: 'prod', user: 'alice', namespace: 'apps' } },
      { name: 'lab-eks', context: { cluster: 'lab', user: 'eks' } },
      { name: 'prod-oidc', context: { cluster: 'prod', user: 'oidc' } },
    ],
    'current-context': 'prod',
  });

  it('resolves the current context', () => {
    expect(connectionFromKubeconfig(mixed, { policy: uploadPolicy })).toEqual({
      connection: { server: 'https://prod.example.com:6443', ca: 'foo', token: SECRET },
      namespace: 'apps',
      contextName: 'prod',
    });
  });

  it('refuses one context with every refusal while another in the same file is fine', () => {
    const err = refusal(() =>
      connectionFromKubeconfig(mixed, { context: 'lab-eks', policy: uploadPolicy }),
    );
    expect(err.reason).toBe('InvalidConfig');
    expect(err.message).toBe(
      'cluster "lab" sets insecure-skip-tls-verify; skipping TLS verification is refused unless an administrator allows it — set certificate-authority-data instead; ' +
        'user "eks" uses an exec plugin (command "aws"); exec plugins are refused unless an administrator allows them',
    );
    expect(
      connectionFromKubeconfig(mixed, { context: 'prod', policy: uploadPolicy }).contextName,
    ).toBe('prod');
  });

  it('does not run exec plugins even when the policy allows them', () => {
    const err = refusal(() =>
      connectionFromKubeconfig(mixed, { context: 'lab-eks', policy: localPolicy }),
    );
    expect(err.message).toBe(
      `user "eks" uses an exec plugin; exec credential plugins are not supported by Binnacle's client — use a token or a client certificate`,
    );
  });

  it('does not use auth-providers even when the policy allows them', () => {
    const err = refusal(() =>
      connectionFromKubeconfig(mixed, { context: 'prod-oidc', policy: localPolicy }),
    );
    expect(err.message).toBe(
      `user "oidc" uses the auth-provider "oidc"; auth providers are not supported by Binnacle's client — use a token or a client certificate`,
    );
  });

  it.each([
    { context: 'nope', message: 'context "nope" is not in contexts' },
    {
      context: undefined,
      message: 'current-context names context "gone", which is not in contexts',
    },
  ])('refuses a missing context ($context)', ({ context, message }) => {
    const config = { ...mixed, currentContext: 'gone' };
    const options = { policy: localPolicy, ...(context !== undefined ? { context } : {}) };
    expect(() => connectionFromKubeconfig(config, options)).toThrow(message);
  });

  it('refuses when no context is chosen and there is no current-context', () => {
    const config = { ...mixed, currentContext: undefined };
    expect(() => connectionFromKubeconfig(config, { policy: localPolicy })).toThrow(
      'no context was chosen and the kubeconfig has no current-context',
    );
  });

  it('maps as, as-uid, as-groups and as-user-extra to impersonate', () => {
    const config = kubeconfig({
      clusters: [
        { name: 'c', cluster: { server: 'https://k8s.example.com', 'tls-server-name': 'api' } },
      ],
      users: [
        {
          name: 'admin',
          user: {
            username: 'admin',
            password: SECRET,
            as: 'carol',
            'as-uid': '1000',
            'as-groups': ['devs', 'ops'],
            'as-user-extra': { scopes: ['view', 'edit'] },
          },
        },
      ],
      contexts: [{ name: 'c', context: { cluster: 'c', user: 'admin' } }],
    });
    const { connection, namespace } = connectionFromKubeconfig(config, {
      context: 'c',
      // allowed here to see the mapping; uploads refuse these fields
      policy: { ...uploadPolicy, allowImpersonation: true },
    });
    expect(namespace).toBe('default');
    expect(connection).toEqual({
      server: 'https://k8s.example.com',
      username: 'admin',
      password: SECRET,
      tlsServerName: 'api',
      impersonate: {
        user: 'carol',
        uid: '1000',
        groups: ['devs', 'ops'],
        extra: { scopes: ['view', 'edit'] },
      },
    });
  });

  it('refuses a socks5 proxy, which the transport cannot use', () => {
    const config = kubeconfig({
      clusters: [
        {
          name: 'c',
          cluster: { server: 'https://k8s.example.com', 'proxy-url': 'socks5://proxy:1080' },
        },
      ],
      users: [{ name: 'u', user: { token: SECRET } }],
      contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
    });
    expect(() => connectionFromKubeconfig(config, { context: 'c', policy: localPolicy })).toThrow(
      `cluster "c" proxy-url is a socks5 proxy, which Binnacle's client does not support — use an http:// or https:// proxy`,
    );
  });
});

describe('connectionFromKubeconfig with files', () => {
  const withFiles = (user: Record<string, unknown>): Kubeconfig =>
    kubeconfig({
      clusters: [
        {
          name: 'c',
          cluster: { server: 'https://k8s.example.com', 'certificate-authority': 'ca.crt' },
        },
      ],
      users: [{ name: 'u', user }],
      contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'c',
    });

  it('reads relative paths from baseDir when the policy allows files', () => {
    writeFileSync(join(dir, 'ca.crt'), 'CA PEM');
    writeFileSync(join(dir, 'u.crt'), 'CERT PEM');
    writeFileSync(join(dir, 'u.key'), 'KEY PEM');
    const config = withFiles({ 'client-certificate': 'u.crt', 'client-key': join(dir, 'u.key') });
    const { connection } = connectionFromKubeconfig(config, { policy: localPolicy, baseDir: dir });
    expect(connection).toEqual({
      server: 'https://k8s.example.com',
      ca: 'CA PEM',
      cert: 'CERT PEM',
      key: 'KEY PEM',
    });
  });

  it('never reads a file the policy refuses', () => {
    const readFile = vi.fn(() => 'x');
    const config = withFiles({ token: SECRET });
    expect(() =>
      connectionFromKubeconfig(config, { policy: uploadPolicy, readFile, baseDir: dir }),
    ).toThrow('cluster "c" reads certificate-authority from the file "ca.crt"');
    expect(readFile).not.toHaveBeenCalled();
  });

  it('names a file it cannot read, and why', () => {
    writeFileSync(join(dir, 'ca.crt'), 'CA PEM');
    const config = withFiles({ 'client-certificate-data': 'Zm9v', 'client-key': 'missing.key' });
    expect(() => connectionFromKubeconfig(config, { policy: localPolicy, baseDir: dir })).toThrow(
      `cannot read user "u" client-key from ${JSON.stringify(join(dir, 'missing.key'))} (ENOENT)`,
    );
  });

  it('refuses a relative path without baseDir', () => {
    const config = withFiles({ token: SECRET });
    expect(() => connectionFromKubeconfig(config, { policy: localPolicy })).toThrow(
      'cluster "c" certificate-authority is a relative path ("ca.crt") and no base directory was given',
    );
  });

  it('re-reads tokenFile at most once a minute, so a rotated token is picked up', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    writeFileSync(join(dir, 'ca.crt'), 'CA PEM');
    const tokenPath = join(dir, 'token');
    writeFileSync(tokenPath, 'first\n');
    const { connection } = connectionFromKubeconfig(withFiles({ tokenFile: 'token' }), {
      policy: localPolicy,
      baseDir: dir,
    });
    expect(typeof connection.token).toBe('function');
    expect(await tokenOf(connection)).toBe('first');

    writeFileSync(tokenPath, 'second\n');
    utimesSync(tokenPath, new Date('2030-01-01T00:00:30Z'), new Date('2030-01-01T00:00:30Z'));
    vi.setSystemTime(new Date('2030-01-01T00:00:59Z'));
    expect(await tokenOf(connection)).toBe('first');
    vi.setSystemTime(new Date('2030-01-01T00:01:01Z'));
    expect(await tokenOf(connection)).toBe('second');

    // a failed re-read keeps serving the last good token
    unlinkSync(tokenPath);
    vi.setSystemTime(new Date('2030-01-01T00:03:00Z'));
    expect(await tokenOf(connection)).toBe('second');
  });

  it('refuses an empty tokenFile', () => {
    writeFileSync(join(dir, 'ca.crt'), 'CA PEM');
    writeFileSync(join(dir, 'token'), '\n');
    expect(() =>
      connectionFromKubeconfig(withFiles({ tokenFile: 'token' }), {
        policy: localPolicy,
        baseDir: dir,
      }),
    ).toThrow(`user "u" tokenFile ${JSON.stringify(join(dir, 'token'))} is empty`);
  });
});

describe('listContexts', () => {
  it('lists what each context points at, without credentials', () => {
    const config = kubeconfig({
      clusters: [{ name: 'c', cluster: { server: 'https://k8s.example.com' } }],
      users: [{ name: 'u', user: { token: SECRET } }],
      contexts: [
        { name: 'one', context: { cluster: 'c', user: 'u', namespace: 'apps' } },
        { name: 'two', context: { cluster: 'c', user: 'u' } },
      ],
      'current-context': 'two',
    });
    const contexts = listContexts(config);
    expect(contexts).toEqual([
      {
        name: 'one',
        cluster: 'c',
        user: 'u',
        namespace: 'apps',
        server: 'https://k8s.example.com',
        current: false,
      },
      {
        name: 'two',
        cluster: 'c',
        user: 'u',
        namespace: 'default',
        server: 'https://k8s.example.com',
        current: true,
      },
    ]);
    expect(JSON.stringify(contexts)).not.toContain(SECRET);
  });
});
