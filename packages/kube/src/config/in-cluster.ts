// The connection of a pod to its own cluster: the service's address from the environment and the
// service account mounted by the kubelet. The kubelet rotates projected tokens in place, so the
// token is read again whenever the file changes.
import { readFileSync, statSync, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClusterConnection, TokenSource } from '../connection.ts';
import { invalidConfig, quote, type Problem } from './fields.ts';
import { errnoSuffix } from './files.ts';

export interface InClusterOptions {
  /** process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Where the filesystem starts, for tests; '/' by default. */
  root?: string;
}

export interface InClusterResult {
  connection: ClusterConnection;
  /** The namespace of the pod's service account. */
  namespace: string;
}

export const serviceAccountDir = 'var/run/secrets/kubernetes.io/serviceaccount';

/** Changes when the kubelet swaps the file (new inode via its ..data symlink) or rewrites it. */
const stampOf = (s: Stats): string => `${s.mtimeMs}:${s.ino}:${s.size}`;

function rotatingToken(options: { path: string; token: string; stamp: string }): TokenSource {
  let { token, stamp } = options;
  return async () => {
    try {
      const current = stampOf(await stat(options.path));
      if (current !== stamp) {
        const next = (await readFile(options.path, 'utf8')).trim();
        if (next !== '') {
          token = next;
          stamp = current;
        }
      }
    } catch {
      // mid-rotation or briefly missing: the last token is still the best answer
    }
    return token;
  };
}

function serverUrl(env: NodeJS.ProcessEnv, problems: Problem[]): string | undefined {
  const host = env.KUBERNETES_SERVICE_HOST ?? '';
  const port = env.KUBERNETES_SERVICE_PORT ?? '';
  for (const [name, value] of [
    ['KUBERNETES_SERVICE_HOST', host],
    ['KUBERNETES_SERVICE_PORT', port],
  ] as const) {
    if (value === '') {
      problems.push({ field: name, message: `${name} is not set (not running in a pod?)` });
    }
  }
  const portNumber = Number(port);
  if (port !== '' && (!/^\d+$/.test(port) || portNumber < 1 || portNumber > 65535)) {
    const field = 'KUBERNETES_SERVICE_PORT';
    problems.push({ field, message: `${field} must be a port number` });
    return undefined;
  }
  if (host === '' || port === '') return undefined;
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `https://${bracketed}:${port}`;
}

function readMounted(options: {
  path: string;
  what: string;
  problems: Problem[];
}): string | undefined {
  const { path, what, problems } = options;
  try {
    const text = readFileSync(path, 'utf8');
    if (text.trim() !== '') return text;
    problems.push({ field: path, message: `the service account ${what} ${quote(path)} is empty` });
  } catch (err) {
    const why = errnoSuffix(err);
    problems.push({
      field: path,
      message: `cannot read the service account ${what} from ${quote(path)}${why}`,
    });
  }
  return undefined;
}

/**
 * The connection a pod uses to reach its own cluster. Throws KubeError `InvalidConfig` naming every
 * missing variable or file.
 */
export function inClusterConnection(options: InClusterOptions = {}): InClusterResult {
  const env = options.env ?? process.env;
  const dir = join(options.root ?? '/', serviceAccountDir);
  const problems: Problem[] = [];
  const server = serverUrl(env, problems);
  const ca = readMounted({ path: join(dir, 'ca.crt'), what: 'CA certificate', problems });
  const tokenPath = join(dir, 'token');
  // stat before reading: a rotation between the two then reads again rather than being missed
  let stamp = '';
  try {
    stamp = stampOf(statSync(tokenPath));
  } catch {
    // readMounted reports the missing file
  }
  const token = readMounted({ path: tokenPath, what: 'token', problems })?.trim();
  const namespace = readMounted({
    path: join(dir, 'namespace'),
    what: 'namespace',
    problems,
  })?.trim();
  if (server === undefined || ca === undefined || token === undefined || namespace === undefined) {
    throw invalidConfig(problems);
  }
  return {
    connection: { server, ca, token: rotatingToken({ path: tokenPath, token, stamp }) },
    namespace,
  };
}
