// Clusters on the wire: records with their health, and the bodies that add, import and change
// them. No schema has a place for a credential: the serializer drops anything not listed.
import { Type, type Static } from 'typebox';

const closed = { additionalProperties: false } as const;

/** Cluster names and ids are DNS labels, so they are safe in URLs, paths and queries as they are. */
export const clusterNamePattern = '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$';

/** The largest kubeconfig accepted, in bytes (and so at most this many characters). */
export const maxKubeconfigBytes = 256 * 1024;

const clusterName = Type.String({ pattern: clusterNamePattern, minLength: 1, maxLength: 63 });
const identityMode = Type.Enum(['gateway', 'impersonate']);
const contextName = Type.String({ minLength: 1, maxLength: 253 });
const isoTime = Type.String({ format: 'date-time' });
const nullable = <T extends ReturnType<typeof Type.String>>(type: T) =>
  Type.Union([type, Type.Null()]);

export const ClusterIdParamsSchema = Type.Object(
  { id: Type.String({ pattern: clusterNamePattern, minLength: 1, maxLength: 63 }) },
  closed,
);

const kubeconfig = Type.String({
  minLength: 1,
  maxLength: maxKubeconfigBytes,
  description: 'The kubeconfig text, YAML or JSON; at most 256 KiB.',
});

export const ImportClustersBodySchema = Type.Object(
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

export const PreviewImportBodySchema = Type.Object({ kubeconfig }, closed);

export const CreateClusterBodySchema = Type.Object(
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

export const InClusterBodySchema = Type.Object(
  { name: clusterName, identityMode: Type.Optional(identityMode) },
  closed,
);

export const PatchClusterBodySchema = Type.Object(
  { name: Type.Optional(clusterName), identityMode: Type.Optional(identityMode) },
  { ...closed, minProperties: 1 },
);

export const ClusterHealthSchema = Type.Object(
  {
    reachable: Type.Union([Type.Boolean(), Type.Null()], {
      description: 'Null until the first check.',
    }),
    version: nullable(
      Type.String({ description: "The API server's gitVersion at the last check." }),
    ),
    latencyMs: Type.Union([Type.Integer(), Type.Null()]),
    lastError: nullable(
      Type.String({ description: 'Why the last check failed; null when it succeeded.' }),
    ),
    checkedAt: nullable(isoTime),
  },
  closed,
);

export const ClusterSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    server: Type.String(),
    identityMode,
    createdAt: isoTime,
    updatedAt: isoTime,
    health: ClusterHealthSchema,
  },
  closed,
);

export const ClusterListSchema = Type.Object({ items: Type.Array(ClusterSchema) }, closed);

export const ImportRefusalSchema = Type.Object(
  {
    context: Type.String(),
    entry: Type.String(),
    field: Type.String(),
    message: Type.String(),
  },
  closed,
);

export const PreviewContextSchema = Type.Object(
  {
    name: Type.String(),
    server: nullable(Type.String()),
    namespace: Type.String(),
    current: Type.Boolean(),
    suggestedName: nullable(Type.String()),
    refusals: Type.Array(ImportRefusalSchema),
  },
  closed,
);

export const PreviewImportSchema = Type.Object(
  {
    contexts: Type.Array(PreviewContextSchema),
  },
  closed,
);

export type ClusterHealth = Static<typeof ClusterHealthSchema>;
export type Cluster = Static<typeof ClusterSchema>;
export type ClusterList = Static<typeof ClusterListSchema>;
export type IdentityMode = Cluster['identityMode'];
export type ImportRefusal = Static<typeof ImportRefusalSchema>;
export type PreviewContext = Static<typeof PreviewContextSchema>;
export type PreviewImport = Static<typeof PreviewImportSchema>;
export type ImportClustersBody = Static<typeof ImportClustersBodySchema>;
export type CreateClusterBody = Static<typeof CreateClusterBodySchema>;
export type PatchClusterBody = Static<typeof PatchClusterBodySchema>;
