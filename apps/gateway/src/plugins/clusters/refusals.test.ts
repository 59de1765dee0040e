// What an import refuses, and how: one refusal per kubeconfig entry and field, exact answers,
// and nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  clustersTestApp,
  refusedImport,
  type ClustersTestApp,
} from '../../../test/clusters-app.js';
import { adminKubeconfig, kubeconfigOf } from '../../../test/clusters-cluster.js';

const admin = adminKubeconfig();
let t: ClustersTestApp;

beforeAll(async () => {
  t = await clustersTestApp();
});
afterAll(() => t.close());

const refuse = (payload: Record<string, unknown>) => refusedImport(t.app, payload);

interface Refusal {
  context: string;
  entry: string;
  field: string;
  message: string;
}

interface RefusalCase {
  what: string;
  contexts: Parameters<typeof kubeconfigOf>[1];
  refusals: Refusal[];
}

describe('refusals', () => {
  const refused = (refusals: Refusal[]) => ({
    status: 400,
    body: {
      code: 'Refused',
      message: `This kubeconfig cannot be imported: ${refusals.map((r) => r.message).join('; ')}`,
      details: { refusals },
    },
  });

  it.each<RefusalCase>([
    {
      what: 'an exec user',
      contexts: {
        exec: {
          userName: 'exec-user',
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1',
              command: 'aws-iam-authenticator',
              args: ['token', '-i', 'prod'],
            },
          },
        },
      },
      refusals: [
        {
          context: 'exec',
          entry: 'users[0] "exec-user"',
          field: 'exec',
          message:
            'user "exec-user" uses an exec plugin (command "aws-iam-authenticator"); exec plugins are refused unless an administrator allows them, and Binnacle\'s client cannot run exec plugins even then — use a token or a client certificate',
        },
      ],
    },
    {
      what: 'an auth-provider user',
      contexts: {
        gcp: {
          userName: 'gcp-user',
          user: { 'auth-provider': { name: 'gcp', config: { 'cmd-path': '/usr/bin/gcloud' } } },
        },
      },
      refusals: [
        {
          context: 'gcp',
          entry: 'users[0] "gcp-user"',
          field: 'auth-provider',
          message:
            'user "gcp-user" uses the auth-provider "gcp"; auth providers are refused unless an administrator allows them, and Binnacle\'s client cannot use auth providers even then — use a token or a client certificate',
        },
      ],
    },
    {
      what: 'client-key as a file path',
      contexts: {
        files: {
          userName: 'file-user',
          user: {
            'client-certificate-data': 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==',
            'client-key': '/etc/kubernetes/pki/admin.key',
          },
        },
      },
      refusals: [
        {
          context: 'files',
          entry: 'users[0] "file-user"',
          field: 'client-key',
          message:
            'user "file-user" reads client-key from the file "/etc/kubernetes/pki/admin.key"; file paths are refused unless an administrator allows them — embed it as client-key-data instead',
        },
      ],
    },
    {
      what: 'certificate-authority as a file path',
      contexts: {
        ca: {
          cluster: {
            'certificate-authority-data': undefined,
            'certificate-authority': '../../etc/kubernetes/pki/ca.crt',
          },
        },
      },
      refusals: [
        {
          context: 'ca',
          entry: 'clusters[0] "ca-cluster"',
          field: 'certificate-authority',
          message:
            'cluster "ca-cluster" reads certificate-authority from the file "../../etc/kubernetes/pki/ca.crt"; file paths are refused unless an administrator allows them — embed it as certificate-authority-data instead',
        },
      ],
    },
    {
      what: 'the cloud metadata address as server',
      contexts: { meta: { cluster: { server: 'https://169.254.169.254' } } },
      refusals: [
        {
          context: 'meta',
          entry: 'clusters[0] "meta-cluster"',
          field: 'server',
          message:
            'cluster "meta-cluster" server is refused: 169.254.169.254 is the cloud metadata address (169.254.169.254/32); an administrator can allow it with BINNACLE_CLUSTER_ALLOWED_CIDRS',
        },
      ],
    },
    {
      what: 'a link-local server',
      contexts: { local: { cluster: { server: 'https://169.254.10.1:6443' } } },
      refusals: [
        {
          context: 'local',
          entry: 'clusters[0] "local-cluster"',
          field: 'server',
          message:
            'cluster "local-cluster" server is refused: 169.254.10.1 is a link-local address (169.254.0.0/16); an administrator can allow it with BINNACLE_CLUSTER_ALLOWED_CIDRS',
        },
      ],
    },
    {
      what: 'insecure-skip-tls-verify',
      contexts: {
        insecure: {
          cluster: { 'certificate-authority-data': undefined, 'insecure-skip-tls-verify': true },
        },
      },
      refusals: [
        {
          context: 'insecure',
          entry: 'clusters[0] "insecure-cluster"',
          field: 'insecure-skip-tls-verify',
          message:
            'cluster "insecure-cluster" sets insecure-skip-tls-verify; skipping TLS verification is refused unless an administrator allows it — set certificate-authority-data instead',
        },
      ],
    },
    {
      what: 'one good and one refused context, all in one answer',
      contexts: {
        good: {},
        bad: {
          cluster: { server: 'https://[fe80::1]:6443' },
          user: { tokenFile: '/var/run/secrets/token' },
        },
      },
      refusals: [
        {
          context: 'bad',
          entry: 'clusters[1] "bad-cluster"',
          field: 'server',
          message:
            'cluster "bad-cluster" server is refused: fe80::1 is a link-local address (fe80::/10); an administrator can allow it with BINNACLE_CLUSTER_ALLOWED_CIDRS',
        },
        {
          context: 'bad',
          entry: 'users[1] "bad-user"',
          field: 'tokenFile',
          message:
            'user "bad-user" reads tokenFile from the file "/var/run/secrets/token"; file paths are refused unless an administrator allows them — embed it as token instead',
        },
      ],
    },
  ])('refuses $what, entry by entry, and writes nothing', async ({ contexts, refusals }) => {
    const kubeconfig = kubeconfigOf(admin, contexts);
    expect(await refuse({ kubeconfig })).toEqual(refused(refusals));
  });

  it('shows the refusals per context before an import, without credentials', async () => {
    const kubeconfig = kubeconfigOf(admin, {
      'Good One': {},
      bad: { user: { exec: { command: 'gke-gcloud-auth-plugin' } } },
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/k8s-api/v1/clusters/preview-import',
      headers: as('ada'),
      payload: { kubeconfig },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      contexts: [
        {
          name: 'Good One',
          server: admin.server,
          namespace: 'default',
          current: false,
          suggestedName: 'good-one',
          refusals: [],
        },
        {
          name: 'bad',
          server: admin.server,
          namespace: 'default',
          current: false,
          suggestedName: 'bad',
          refusals: [
            {
              context: 'bad',
              entry: 'users[1] "bad-user"',
              field: 'exec',
              message:
                'user "bad-user" uses an exec plugin (command "gke-gcloud-auth-plugin"); exec plugins are refused unless an administrator allows them, and Binnacle\'s client cannot run exec plugins even then — use a token or a client certificate',
            },
          ],
        },
      ],
    });
    expect(res.body).not.toContain(Buffer.from(admin.key).toString('base64').slice(0, 40));
  });

  it('answers malformed YAML with where it breaks, never with its text', async () => {
    const kubeconfig =
      'clusters:\n  - name: x\n    cluster:\n   server: "https://a\n  token: s3cret-token';
    const { status, body } = await refuse({ kubeconfig });
    expect(status).toBe(400);
    expect(body).toEqual({
      code: 'BadRequest',
      message: expect.stringMatching(
        /^This kubeconfig cannot be read: kubeconfig is not valid YAML or JSON \(\w+ at line \d+, column \d+\)$/,
      ) as unknown,
      details: { problems: [{ field: '', message: expect.any(String) as unknown }] },
    });
    expect(JSON.stringify(body)).not.toContain('s3cret');
  });

  it('lists every problem of a kubeconfig that is YAML but no kubeconfig', async () => {
    const kubeconfig = 'kind: Pod\nclusters:\n  - name: a\n    cluster: {}\n';
    expect(await refuse({ kubeconfig })).toEqual({
      status: 400,
      body: {
        code: 'BadRequest',
        message:
          'This kubeconfig cannot be read: kind is "Pod"; a kubeconfig has kind Config; clusters[0].cluster.server is missing',
        details: {
          problems: [
            { field: 'kind', message: 'kind is "Pod"; a kubeconfig has kind Config' },
            {
              field: 'clusters[0].cluster.server',
              message: 'clusters[0].cluster.server is missing',
            },
          ],
        },
      },
    });
  });

  it('refuses a kubeconfig over 256 KiB', async () => {
    const big = await refuse({ kubeconfig: `# ${'x'.repeat(300 * 1024)}\n${admin.text}` });
    expect(big).toEqual({
      status: 400,
      body: {
        code: 'BadRequest',
        message: 'Invalid request: body/kubeconfig must NOT have more than 262144 characters',
        details: [{ field: '/kubeconfig', problem: 'must NOT have more than 262144 characters' }],
      },
    });
    // fewer characters than the limit, more bytes
    const wide = await refuse({ kubeconfig: `# ${'é'.repeat(200 * 1024)}\n${admin.text}` });
    expect(wide.status).toBe(413);
    expect(wide.body).toEqual({
      code: 'PayloadTooLarge',
      message: expect.stringMatching(
        /^The kubeconfig is \d+ KiB; at most 256 KiB is accepted\.$/,
      ) as unknown,
    });
  });

  it('refuses an unknown context, naming it', async () => {
    expect(await refuse({ kubeconfig: admin.text, contexts: ['nope', admin.context] })).toEqual({
      status: 400,
      body: {
        code: 'BadRequest',
        message: `This kubeconfig has no context "nope"; its contexts are "${admin.context}".`,
        details: { unknownContexts: ['nope'] },
      },
    });
  });

  it.each([
    ['../etc', 400],
    ['a%2Fb', 400],
    ['Prod', 400],
    ['-x', 400],
  ])('refuses the name %j', async (name, status) => {
    const res = await refuse({ kubeconfig: admin.text, names: { [admin.context]: name } });
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ code: 'BadRequest' });
  });

  it('refuses names for contexts it does not import, and two contexts under one name', async () => {
    expect(
      await refuse({ kubeconfig: admin.text, names: { [admin.context]: 'x', other: 'y' } }),
    ).toEqual({
      status: 400,
      body: {
        code: 'BadRequest',
        message: 'names gives a name for "other", which is not among the contexts being imported.',
      },
    });
    const kubeconfig = kubeconfigOf(admin, { 'Team A': {}, 'team-a': {} });
    expect(await refuse({ kubeconfig })).toEqual({
      status: 400,
      body: {
        code: 'BadRequest',
        message:
          'Contexts "Team A" and "team-a" would both be named "team-a"; choose other names in names.',
      },
    });
  });
});
