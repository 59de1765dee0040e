// The `users[].user` section: credentials, exec / auth-provider plugins and impersonation. The
// checks that pair fields follow client-go's clientcmd validation, so a file kubectl refuses is
// refused here.
import type { FieldReader } from './fields.ts';
import type { KubeconfigAuthProvider, KubeconfigExec, KubeconfigUser } from './kubeconfig.ts';

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function readExec(r: FieldReader): KubeconfigExec | undefined {
  const command = r.requiredString('command');
  const args = r.stringList('args') ?? [];
  const env = r
    .objectList('env')
    .map((e) => ({ name: e.requiredString('name') ?? '', value: e.string('value') ?? '' }));
  const apiVersion = r.string('apiVersion');
  const installHint = r.string('installHint');
  const provideClusterInfo = r.boolean('provideClusterInfo');
  const interactiveMode = r.string('interactiveMode');
  if (command === undefined) return undefined;
  return {
    command,
    args,
    env,
    provideClusterInfo,
    ...(apiVersion !== undefined ? { apiVersion } : {}),
    ...(installHint !== undefined ? { installHint } : {}),
    ...(interactiveMode !== undefined ? { interactiveMode } : {}),
  };
}

function readAuthProvider(r: FieldReader): KubeconfigAuthProvider | undefined {
  const name = r.requiredString('name');
  const config = r.map('config', {
    read: (value) => (typeof value === 'string' ? value : undefined),
    map: 'a map of strings',
    item: 'a string',
  });
  if (name === undefined) return undefined;
  return { name, config: config ?? {} };
}

/** Fields that need, or exclude, each other; by presence, so that a bad value reports once. */
function checkPairs(r: FieldReader): void {
  const any = (...keys: string[]): boolean => keys.some((key) => r.has(key));
  for (const key of ['client-certificate', 'client-key']) {
    if (r.has(key) && r.has(`${key}-data`)) {
      r.problem('', `sets both ${key} and ${key}-data; keep one`);
    }
  }
  const hasCert = any('client-certificate', 'client-certificate-data');
  const hasKey = any('client-key', 'client-key-data');
  if (hasCert && !hasKey) {
    r.problem('', 'has a client certificate but no client-key or client-key-data');
  }
  if (hasKey && !hasCert) {
    r.problem('', 'has a client key but no client-certificate or client-certificate-data');
  }
  if (any('token', 'tokenFile') && any('username', 'password')) {
    r.problem('', 'sets both a token and a username/password; keep one');
  }
  if (r.has('exec') && r.has('auth-provider')) {
    r.problem('', 'sets both exec and auth-provider; keep one');
  }
  // client-go refuses these too: a uid, groups or extras without a user to impersonate mean nothing
  if (!r.has('as')) {
    for (const key of ['as-uid', 'as-groups', 'as-user-extra']) {
      if (r.has(key)) r.problem(key, `needs ${r.field('as')} (the user to impersonate)`);
    }
  }
}

export function readUser(r: FieldReader, name: string): KubeconfigUser | undefined {
  const execReader = r.object('exec', { required: false });
  const exec = execReader && readExec(execReader);
  const providerReader = r.object('auth-provider', { required: false });
  const authProvider = providerReader && readAuthProvider(providerReader);
  const fields = {
    clientCertificate: r.string('client-certificate'),
    clientCertificateData: r.base64('client-certificate-data'),
    clientKey: r.string('client-key'),
    clientKeyData: r.base64('client-key-data'),
    token: r.string('token'),
    tokenFile: r.string('tokenFile'),
    username: r.string('username'),
    password: r.string('password'),
    exec,
    authProvider,
    as: r.string('as'),
    asUid: r.string('as-uid'),
    asGroups: r.stringList('as-groups'),
    asUserExtra: r.map('as-user-extra', {
      read: (value) => (isStringList(value) ? value : undefined),
      map: 'a map of lists of strings',
      item: 'a list of strings',
    }),
  };
  checkPairs(r);
  return { name, ...fields };
}
