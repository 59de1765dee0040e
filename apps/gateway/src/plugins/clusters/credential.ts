// The credential stored with a cluster: a JSON document sealed by the keyring with the cluster id as
// associated data, so it opens only for the record it was written for.
import { inClusterConnection, type ClusterConnection, type InClusterOptions } from '@binnacle/kube';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import type { Keyring } from '../keyring/index.js';

const storedConnection = Type.Object({
  server: Type.String({ minLength: 1 }),
  ca: Type.Optional(Type.String()),
  cert: Type.Optional(Type.String()),
  key: Type.Optional(Type.String()),
  token: Type.Optional(Type.String()),
  username: Type.Optional(Type.String()),
  password: Type.Optional(Type.String()),
  tlsServerName: Type.Optional(Type.String()),
  insecureSkipTlsVerify: Type.Optional(Type.Boolean()),
  proxyUrl: Type.Optional(Type.String()),
  impersonate: Type.Optional(
    Type.Object({
      user: Type.String(),
      uid: Type.Optional(Type.String()),
      groups: Type.Optional(Type.Array(Type.String())),
      extra: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))),
    }),
  ),
});

const storedCredential = Type.Union([
  Type.Object({ kind: Type.Literal('connection'), connection: storedConnection }),
  Type.Object({ kind: Type.Literal('in-cluster') }),
]);

/** A connection as data: no token source functions, so a token from a file cannot be stored. */
export type StoredConnection = Static<typeof storedConnection>;
export type StoredCredential = Static<typeof storedCredential>;

/** The storable form of a connection; throws for a token that is read from somewhere. */
export function storable(connection: ClusterConnection): StoredCredential {
  const { token, impersonate, ...rest } = connection;
  if (token !== undefined && typeof token !== 'string') {
    throw new Error('a token read from a file or the environment cannot be stored');
  }
  const copy = impersonate && {
    user: impersonate.user,
    ...(impersonate.uid !== undefined ? { uid: impersonate.uid } : {}),
    ...(impersonate.groups !== undefined ? { groups: [...impersonate.groups] } : {}),
    ...(impersonate.extra !== undefined
      ? {
          extra: Object.fromEntries(Object.entries(impersonate.extra).map(([k, v]) => [k, [...v]])),
        }
      : {}),
  };
  return {
    kind: 'connection',
    connection: {
      ...rest,
      ...(token !== undefined ? { token } : {}),
      ...(copy !== undefined ? { impersonate: copy } : {}),
    },
  };
}

export function sealCredential(
  keyring: Keyring,
  options: { clusterId: string; credential: StoredCredential },
): string {
  return keyring.seal(JSON.stringify(options.credential), { aad: options.clusterId });
}

/** Opens and checks a stored credential; throws when it is altered, foreign or malformed. */
export function openCredential(
  keyring: Keyring,
  options: { clusterId: string; sealed: string },
): StoredCredential {
  const text = keyring.open(options.sealed, { aad: options.clusterId }).toString('utf8');
  const parsed: unknown = JSON.parse(text);
  if (!Value.Check(storedCredential, parsed)) {
    throw new Error(`the stored credential of cluster ${options.clusterId} is malformed`);
  }
  return parsed;
}

/** The connection a stored credential stands for; in-cluster ones are read from the pod again. */
export function connectionOf(
  credential: StoredCredential,
  inCluster: InClusterOptions = {},
): ClusterConnection {
  if (credential.kind === 'in-cluster') return inClusterConnection(inCluster).connection;
  return credential.connection;
}
