// Certificates of a test cluster, made with the openssl command line at `up` and removed at `down`.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CertPaths {
  cert: string;
  key: string;
}

export interface Pki {
  dir: string;
  ca: CertPaths;
  frontProxyCa: CertPaths;
  frontProxyClient: CertPaths;
  apiserver: CertPaths;
  admin: CertPaths;
  viewer: CertPaths;
  controllerManager: CertPaths;
  scheduler: CertPaths;
  serviceAccount: CertPaths;
  /** The public half of the service-account signing key, for verifying tokens. */
  serviceAccountPublicKey: string;
}

/** The user name of the restricted kubeconfig; RBAC lets it view the demo namespace only. */
export const viewerUser = 'demo-viewer';

interface CertSpec {
  name: string;
  cn: string;
  org?: string;
  usage: 'ca' | 'client' | 'server';
  altNames?: string[];
}

function opensslConfig(spec: CertSpec): string {
  const ext =
    spec.usage === 'ca'
      ? [
          'basicConstraints = critical,CA:TRUE',
          'keyUsage = critical,keyCertSign,cRLSign,digitalSignature',
        ]
      : [
          'basicConstraints = critical,CA:FALSE',
          'keyUsage = critical,digitalSignature,keyEncipherment',
          `extendedKeyUsage = ${spec.usage === 'server' ? 'serverAuth,clientAuth' : 'clientAuth'}`,
          ...(spec.altNames ? [`subjectAltName = ${spec.altNames.join(',')}`] : []),
        ];
  return [
    '[req]',
    'distinguished_name = dn',
    'prompt = no',
    '[dn]',
    `CN = ${spec.cn}`,
    ...(spec.org ? [`O = ${spec.org}`] : []),
    '[ext]',
    ...ext,
    '',
  ].join('\n');
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args);
  } catch (err) {
    const detail = err instanceof Error && 'stderr' in err ? String(err.stderr) : String(err);
    throw new Error(`openssl ${args[0] ?? ''} failed: ${detail.trim()}`);
  }
}

const keyArgs = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function makeCert(dir: string, spec: CertSpec, signer?: CertPaths): Promise<CertPaths> {
  const base = join(dir, spec.name);
  const paths = { cert: `${base}.crt`, key: `${base}.key` };
  await writeFile(`${base}.cnf`, opensslConfig(spec));
  if (!signer) {
    await openssl([
      'req',
      '-x509',
      '-new',
      '-config',
      `${base}.cnf`,
      '-extensions',
      'ext',
      ...keyArgs,
      '-keyout',
      paths.key,
      '-out',
      paths.cert,
      '-days',
      '3650',
    ]);
    return paths;
  }
  await openssl([
    'req',
    '-new',
    '-config',
    `${base}.cnf`,
    ...keyArgs,
    '-keyout',
    paths.key,
    '-out',
    `${base}.csr`,
  ]);
  await openssl([
    'x509',
    '-req',
    '-in',
    `${base}.csr`,
    '-CA',
    signer.cert,
    '-CAkey',
    signer.key,
    '-CAcreateserial',
    '-days',
    '825',
    '-extfile',
    `${base}.cnf`,
    '-extensions',
    'ext',
    '-out',
    paths.cert,
  ]);
  return paths;
}

export async function createPki(dir: string): Promise<Pki> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const ca = await makeCert(dir, { name: 'ca', cn: 'binnacle-testcluster-ca', usage: 'ca' });
  const frontProxyCa = await makeCert(dir, {
    name: 'front-proxy-ca',
    cn: 'binnacle-front-proxy-ca',
    usage: 'ca',
  });
  const client = (name: string, cn: string, org?: string): Promise<CertPaths> =>
    makeCert(dir, { name, cn, usage: 'client', ...(org ? { org } : {}) }, ca);
  const serviceAccount = await makeCert(
    dir,
    { name: 'service-account', cn: 'service-accounts', usage: 'client' },
    ca,
  );
  const serviceAccountPublicKey = join(dir, 'service-account.pub');
  await openssl(['pkey', '-in', serviceAccount.key, '-pubout', '-out', serviceAccountPublicKey]);
  return {
    dir,
    ca,
    frontProxyCa,
    frontProxyClient: await makeCert(
      dir,
      { name: 'front-proxy-client', cn: 'front-proxy-client', usage: 'client' },
      frontProxyCa,
    ),
    apiserver: await makeCert(
      dir,
      {
        name: 'apiserver',
        cn: 'kube-apiserver',
        usage: 'server',
        altNames: [
          'DNS:localhost',
          'DNS:kubernetes',
          'DNS:kubernetes.default',
          'DNS:kubernetes.default.svc',
          'IP:127.0.0.1',
          'IP:10.96.0.1',
        ],
      },
      ca,
    ),
    admin: await client('admin', 'binnacle-admin', 'system:masters'),
    viewer: await client('viewer', viewerUser),
    controllerManager: await client('controller-manager', 'system:kube-controller-manager'),
    scheduler: await client('scheduler', 'system:kube-scheduler'),
    serviceAccount,
    serviceAccountPublicKey,
  };
}
