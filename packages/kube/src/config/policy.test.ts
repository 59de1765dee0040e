import { describe, expect, it } from 'vitest';
import { internalAddressReason } from './addresses.ts';
import { parseKubeconfig, type Kubeconfig } from './kubeconfig.ts';
import { checkPolicy, localPolicy, uploadPolicy } from './policy.ts';

const SECRET = 'SENTINEL-credential';
const adminAllows = 'unless an administrator allows them';

/** One context `ctx` joining cluster `prod` and user `alice`, with the given fields. */
function single(options: {
  cluster?: Record<string, unknown>;
  user?: Record<string, unknown>;
}): Kubeconfig {
  return parseKubeconfig(
    JSON.stringify({
      clusters: [
        { name: 'prod', cluster: { server: 'https://prod.example.com', ...options.cluster } },
      ],
      users: [{ name: 'alice', user: options.user ?? { token: SECRET } }],
      contexts: [{ name: 'ctx', context: { cluster: 'prod', user: 'alice' } }],
    }),
  );
}

const cluster = { context: 'ctx', entry: 'clusters[0] "prod"' };
const user = { context: 'ctx', entry: 'users[0] "alice"' };

describe('uploadPolicy refuses', () => {
  const cases = [
    {
      name: 'an exec plugin',
      config: single({ user: { exec: { command: 'aws', args: ['eks', 'get-token'] } } }),
      refusal: {
        ...user,
        field: 'exec',
        message: `user "alice" uses an exec plugin (command "aws"); exec plugins are refused ${adminAllows}`,
      },
    },
    {
      name: 'an auth-provider',
      config: single({
        user: { 'auth-provider': { name: 'oidc', config: { 'id-token': SECRET } } },
      }),
      refusal: {
        ...user,
        field: 'auth-provider',
        message: `user "alice" uses the auth-provider "oidc"; auth providers are refused ${adminAllows}`,
      },
    },
    {
      name: 'a certificate-authority file',
      config: single({ cluster: { 'certificate-authority': '/etc/kubernetes/ca.crt' } }),
      refusal: {
        ...cluster,
        field: 'certificate-authority',
        message: `cluster "prod" reads certificate-authority from the file "/etc/kubernetes/ca.crt"; file paths are refused ${adminAllows} — embed it as certificate-authority-data instead`,
      },
    },
    {
      name: 'a client-certificate file',
      config: single({ user: { 'client-certificate': 'a.crt', 'client-key-data': 'Zm9v' } }),
      refusal: {
        ...user,
        field: 'client-certificate',
        message: `user "alice" reads client-certificate from the file "a.crt"; file paths are refused ${adminAllows} — embed it as client-certificate-data instead`,
      },
    },
    {
      name: 'a client-key file',
      config: single({
        user: { 'client-certificate-data': 'Zm9v', 'client-key': '/home/me/a.key' },
      }),
      refusal: {
        ...user,
        field: 'client-key',
        message: `user "alice" reads client-key from the file "/home/me/a.key"; file paths are refused ${adminAllows} — embed it as client-key-data instead`,
      },
    },
    {
      name: 'a tokenFile',
      config: single({ user: { tokenFile: '/var/run/secrets/token' } }),
      refusal: {
        ...user,
        field: 'tokenFile',
        message: `user "alice" reads tokenFile from the file "/var/run/secrets/token"; file paths are refused ${adminAllows} — embed it as token instead`,
      },
    },
    {
      name: 'insecure-skip-tls-verify',
      config: single({ cluster: { 'insecure-skip-tls-verify': true } }),
      refusal: {
        ...cluster,
        field: 'insecure-skip-tls-verify',
        message:
          'cluster "prod" sets insecure-skip-tls-verify; skipping TLS verification is refused unless an administrator allows it — set certificate-authority-data instead',
      },
    },
    {
      name: 'a link-local IPv4 server',
      config: single({ cluster: { server: 'https://169.254.10.1:6443' } }),
      refusal: {
        ...cluster,
        field: 'server',
        message:
          'cluster "prod" server is refused: 169.254.10.1 is a link-local address (169.254.0.0/16)',
      },
    },
    {
      name: 'a link-local IPv6 server',
      config: single({ cluster: { server: 'https://[fe80::1]:6443' } }),
      refusal: {
        ...cluster,
        field: 'server',
        message: 'cluster "prod" server is refused: fe80::1 is a link-local address (fe80::/10)',
      },
    },
    {
      name: 'the metadata endpoint',
      config: single({ cluster: { server: 'http://169.254.169.254' } }),
      refusal: {
        ...cluster,
        field: 'server',
        message: 'cluster "prod" server is refused: 169.254.169.254 is a cloud metadata endpoint',
      },
    },
    {
      name: 'the metadata endpoint by name',
      config: single({ cluster: { server: 'http://Metadata.Google.Internal./computeMetadata' } }),
      refusal: {
        ...cluster,
        field: 'server',
        message:
          'cluster "prod" server is refused: metadata.google.internal is a cloud metadata endpoint',
      },
    },
    {
      name: 'the unspecified address',
      config: single({ cluster: { server: 'https://0.0.0.0:6443' } }),
      refusal: {
        ...cluster,
        field: 'server',
        message: 'cluster "prod" server is refused: 0.0.0.0 is an unspecified address',
      },
    },
    {
      name: 'a proxy at the metadata endpoint',
      config: single({ cluster: { 'proxy-url': 'http://[fd00:ec2::254]' } }),
      refusal: {
        ...cluster,
        field: 'proxy-url',
        message:
          'cluster "prod" sets proxy-url; proxies are refused in uploaded kubeconfigs, because the' +
          ' proxy and not the gateway would choose where to connect — remove proxy-url',
      },
    },
    {
      name: 'a proxy anywhere',
      config: single({ cluster: { 'proxy-url': 'https://proxy.example.com:3128' } }),
      refusal: {
        ...cluster,
        field: 'proxy-url',
        message:
          'cluster "prod" sets proxy-url; proxies are refused in uploaded kubeconfigs, because the' +
          ' proxy and not the gateway would choose where to connect — remove proxy-url',
      },
    },
  ];

  it.each([
    ['as', { as: 'someone' }],
    ['as-groups', { as: 'someone', 'as-groups': ['system:masters'] }],
    ['as-uid', { as: 'someone', 'as-uid': '1' }],
    ['as-user-extra', { as: 'someone', 'as-user-extra': { scopes: ['x'] } }],
  ])('refuses %s in an upload', (field, fields) => {
    const config = single({ user: { token: 't', ...fields } });
    const refusals = checkPolicy(config, uploadPolicy).filter((r) => r.field === field);
    expect(refusals).toHaveLength(1);
    expect(refusals[0]?.message).toContain(
      `sets ${field}; impersonation in an uploaded kubeconfig is refused`,
    );
    expect(checkPolicy(config, localPolicy)).toEqual([]);
  });

  it.each(cases)('$name', ({ config, refusal }) => {
    const refusals = checkPolicy(config, uploadPolicy);
    expect(refusals).toEqual([refusal]);
    expect(JSON.stringify(refusals)).not.toContain(SECRET);
  });

  it.each(cases)('$name, but localPolicy allows it', ({ config }) => {
    expect(checkPolicy(config, localPolicy)).toEqual([]);
  });

  it('a plain token and embedded certificate authority', () => {
    const config = single({ cluster: { 'certificate-authority-data': 'Zm9v' } });
    expect(checkPolicy(config, uploadPolicy)).toEqual([]);
  });
});

describe('checkPolicy scope', () => {
  const config = parseKubeconfig(
    JSON.stringify({
      clusters: [{ name: 'c', cluster: { server: 'https://k8s.example.com' } }],
      users: [
        { name: 'token', user: { token: SECRET } },
        { name: 'eks', user: { exec: { command: 'aws' } } },
        { name: 'unused', user: { tokenFile: '/t' } },
      ],
      contexts: [
        { name: 'good', context: { cluster: 'c', user: 'token' } },
        { name: 'bad', context: { cluster: 'c', user: 'eks' } },
        { name: 'also-bad', context: { cluster: 'c', user: 'eks' } },
      ],
    }),
  );

  it('checks only what the named contexts use', () => {
    expect(checkPolicy(config, uploadPolicy, { contexts: ['good'] })).toEqual([]);
    expect(checkPolicy(config, uploadPolicy, { contexts: ['also-bad'] })).toMatchObject([
      { context: 'also-bad', entry: 'users[1] "eks"', field: 'exec' },
    ]);
  });

  it('checks every entry of the file without contexts, once per entry', () => {
    expect(checkPolicy(config, uploadPolicy)).toMatchObject([
      { context: 'bad', entry: 'users[1] "eks"', field: 'exec' },
      { entry: 'users[2] "unused"', field: 'tokenFile' },
    ]);
    expect(checkPolicy(config, uploadPolicy)[1]).not.toHaveProperty('context');
  });

  it('throws for a context that is not in the file', () => {
    expect(() => checkPolicy(config, uploadPolicy, { contexts: ['nope'] })).toThrow(
      'context "nope" is not in contexts',
    );
  });
});

describe('internalAddressReason', () => {
  const cases: { url: string; reason: string | undefined }[] = [
    {
      url: 'http://169.254.169.254/latest',
      reason: '169.254.169.254 is a cloud metadata endpoint',
    },
    { url: 'http://2852039166/', reason: '169.254.169.254 is a cloud metadata endpoint' },
    { url: 'http://100.100.100.200/', reason: '100.100.100.200 is a cloud metadata endpoint' },
    {
      url: 'http://[::ffff:169.254.169.254]/',
      reason: '::ffff:a9fe:a9fe is a cloud metadata endpoint',
    },
    { url: 'http://[fd00:ec2:0::254]/', reason: 'fd00:ec2::254 is a cloud metadata endpoint' },
    { url: 'https://169.254.0.1/', reason: '169.254.0.1 is a link-local address (169.254.0.0/16)' },
    { url: 'https://[febf:1::2]/', reason: 'febf:1::2 is a link-local address (fe80::/10)' },
    { url: 'https://0.0.0.0/', reason: '0.0.0.0 is an unspecified address' },
    { url: 'https://0.1.2.3/', reason: '0.1.2.3 is an unspecified address' },
    { url: 'https://[::]/', reason: ':: is an unspecified address' },
    { url: 'https://[::ffff:0.0.0.0]/', reason: '::ffff:0:0 is an unspecified address' },
    { url: 'https://127.0.0.1:6443/', reason: undefined },
    { url: 'https://10.96.0.1/', reason: undefined },
    { url: 'https://[2001:db8::1]/', reason: undefined },
    { url: 'https://[fec0::1]/', reason: undefined },
    { url: 'https://169.255.0.1/', reason: undefined },
    { url: 'https://metadata.google.internal.example.com/', reason: undefined },
  ];

  it.each(cases)('$url', ({ url, reason }) => {
    expect(internalAddressReason(new URL(url).hostname)).toBe(reason);
  });

  it.each([
    {
      host: '::ffff:169.254.169.254',
      reason: '::ffff:169.254.169.254 is a cloud metadata endpoint',
    },
    { host: 'FE80::1', reason: 'fe80::1 is a link-local address (fe80::/10)' },
    { host: '1:2:3:4:5:6:7:8:9', reason: undefined },
    { host: '1::2::3', reason: undefined },
  ])('a literal $host, as a DNS answer gives it', ({ host, reason }) => {
    expect(internalAddressReason(host)).toBe(reason);
  });
});
