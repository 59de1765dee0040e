// Request and response schemas of the cluster routes. No response schema has a place for a
// credential: the serializer drops anything not listed.
import { Type } from 'typebox';
import { namePattern } from './names.js';

const closed = { additionalProperties: false } as const;

/** The largest kubeconfig accepted, in bytes (and so at most this many characters). */
export const maxKubeconfigBytes = 256 * 1024;
/** Room for the JSON around a kubeconfig whose every character needs escaping. */
export const importBodyLimit = 2 * 1024 * 1024;

const clusterName = Type.String({ pattern: namePattern, minLength: 1, maxLength: 63 });
const identityMode = Type.Enum(['gateway', 'impersonate']);
const contextName = Type.String({ minLength: 1, maxLength: 253 });
const isoTime = Type.String({ format: 'date-time' });
const nullable = <T extends ReturnType<typeof Type.String>>(type: T) =>
  Type.Union([type, Type.Null()]);

export const idParams = Type.Object(
  { id: Type.String({ pattern: namePattern, minLength: 1, maxLength: 63 }) },
  closed,
);

const kubeconfig = Type.String({
  minLength: 1,
  maxLength: maxKubeconfigBytes,
  description: 'The kubeconfig text, YAML or JSON; at most 256 KiB.',
});

export const importBody = Type.Object(
  {
    kubeconfig,
    contexts: Type.Optional(
      Type.Array(contextName, {
        minItems: 1,
        maxItems: 100,
        description: 'The contexts to import; every context when absent.',
      }),
    ),
    identityMode: Type.Optional(identityMode),
    names: Type.Optional(
      Type.Record(contextName, clusterName, {
        maxProperties: 100,
        description: 'Cluster names by context; derived from the context name when absent.',
      }),
    ),
  },
  closed,
);

export const previewBody = Type.Object({ kubeconfig }, closed);

export const createBody = Type.Object(
  {
    name: clusterName,
    server: Type.String({ minLength: 1, maxLength: 2048 }),
    ca: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64 * 1024,
        description: 'PEM CA bundle, or its base64 (certificate-authority-data)',
      }),
    ),
    token: Type.String({ minLength: 1, maxLength: 16 * 1024 }),
    identityMode: Type.Optional(identityMode),
  },
  closed,
);

export const inClusterBody = Type.Object(
  { name: clusterName, identityMode: Type.Optional(identityMode) },
  closed,
);

export const patchBody = Type.Object(
  { name: Type.Optional(clusterName), identityMode: Type.Optional(identityMode) },
  { ...closed, minProperties: 1 },
);

export const health = Type.Object(
  {
    reachable: Type.Union([Type.Boolean(), Type.Null()]),
    version: nullable(Type.String()),
    latencyMs: Type.Union([Type.Integer(), Type.Null()]),
    lastError: nullable(Type.String()),
    checkedAt: nullable(isoTime),
  },
  closed,
);

export const clusterView = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    server: Type.String(),
    identityMode,
    createdAt: isoTime,
    updatedAt: isoTime,
    health,
  },
  closed,
);

export const clusterList = Type.Object({ items: Type.Array(clusterView) }, closed);

const refusal = Type.Object(
  {
    context: Type.String(),
    entry: Type.String(),
    field: Type.String(),
    message: Type.String(),
  },
  closed,
);

export const previewResponse = Type.Object(
  {
    contexts: Type.Array(
      Type.Object(
        {
          name: Type.String(),
          server: nullable(Type.String()),
          namespace: Type.String(),
          current: Type.Boolean(),
          suggestedName: nullable(Type.String()),
          refusals: Type.Array(refusal),
        },
        closed,
      ),
    ),
  },
  closed,
);
