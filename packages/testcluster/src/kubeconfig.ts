import { readFile, writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import type { CertPaths } from './pki.ts';

export interface KubeconfigOptions {
  server: string;
  caFile: string;
  user: string;
  client: CertPaths;
  contextName: string;
}

/** A kubeconfig with the certificates inline, so it can be uploaded as it is. */
export async function writeKubeconfig(path: string, options: KubeconfigOptions): Promise<void> {
  const b64 = async (file: string): Promise<string> => (await readFile(file)).toString('base64');
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: options.contextName,
        cluster: {
          server: options.server,
          'certificate-authority-data': await b64(options.caFile),
        },
      },
    ],
    users: [
      {
        name: options.user,
        user: {
          'client-certificate-data': await b64(options.client.cert),
          'client-key-data': await b64(options.client.key),
        },
      },
    ],
    contexts: [
      {
        name: options.contextName,
        context: { cluster: options.contextName, user: options.user },
      },
    ],
    'current-context': options.contextName,
  };
  await writeFile(path, stringify(doc), { mode: 0o600 });
}
