import { describe, expect, it } from 'vitest';
import { parseKubeconfig } from './kubeconfig.ts';

const server = 'https://example.com';

describe('parseKubeconfig reads', () => {
  it('every field of a YAML kubeconfig, decoding *-data', () => {
    const yaml = `
apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster:
    server: https://prod.example.com:6443
    certificate-authority-data: Zm9v
    tls-server-name: api.prod
    proxy-url: http://proxy:3128
    disable-compression: true
- name: local
  cluster:
    server: http://127.0.0.1:8080
    certificate-authority: ca.crt
    insecure-skip-tls-verify: true
users:
- name: alice
  user:
    client-certificate-data: Zm9v
    client-key-data: YmFy
    as: carol
    as-uid: "1000"
    as-groups: [admins, devs]
    as-user-extra:
      scopes: [view]
- name: eks
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [eks, get-token]
      env:
      - name: AWS_PROFILE
        value: prod
- name: files
  user:
    client-certificate: a.crt
    client-key: a.key
    tokenFile: token
- name: oidc
  user:
    auth-provider:
      name: oidc
      config:
        client-id: binnacle
contexts:
- name: prod
  context: { cluster: prod, user: alice, namespace: apps }
- name: local
  context: { cluster: local, user: files }
current-context: prod
`;
    const config = parseKubeconfig(yaml);
    expect(config.currentContext).toBe('prod');
    expect(config.clusters).toEqual([
      {
        name: 'prod',
        server: 'https://prod.example.com:6443',
        certificateAuthorityData: 'foo',
        tlsServerName: 'api.prod',
        proxyUrl: 'http://proxy:3128',
        insecureSkipTlsVerify: false,
        disableCompression: true,
      },
      {
        name: 'local',
        server: 'http://127.0.0.1:8080',
        certificateAuthority: 'ca.crt',
        insecureSkipTlsVerify: true,
        disableCompression: false,
      },
    ]);
    expect(config.users[0]).toMatchObject({
      name: 'alice',
      clientCertificateData: 'foo',
      clientKeyData: 'bar',
      as: 'carol',
      asUid: '1000',
      asGroups: ['admins', 'devs'],
      asUserExtra: { scopes: ['view'] },
    });
    expect(config.users[1]?.exec).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'aws',
      args: ['eks', 'get-token'],
      env: [{ name: 'AWS_PROFILE', value: 'prod' }],
      provideClusterInfo: false,
    });
    expect(config.users[2]).toMatchObject({
      clientCertificate: 'a.crt',
      clientKey: 'a.key',
      tokenFile: 'token',
    });
    expect(config.users[3]?.authProvider).toEqual({
      name: 'oidc',
      config: { 'client-id': 'binnacle' },
    });
    expect(config.contexts).toEqual([
      { name: 'prod', cluster: 'prod', user: 'alice', namespace: 'apps' },
      { name: 'local', cluster: 'local', user: 'files' },
    ]);
  });

  it('JSON, null lists and a current-context that names nothing', () => {
    const config = parseKubeconfig(
      JSON.stringify({ clusters: null, users: null, contexts: null, 'current-context': 'gone' }),
    );
    expect(config).toEqual({ clusters: [], users: [], contexts: [], currentContext: 'gone' });
  });

  it('base64 data wrapped over lines', () => {
    const data = { server, 'certificate-authority-data': 'Zm9v\nYmFy' };
    const config = parseKubeconfig(JSON.stringify({ clusters: [{ name: 'prod', cluster: data }] }));
    expect(config.clusters[0]?.certificateAuthorityData).toBe('foobar');
  });
});
