// The resource API: registry-driven list, get, delete and scale under
// /k8s-api/v1/clusters/:cluster/resources/:resource.
import { Type, type Static } from 'typebox';

export const apiBase = '/k8s-api/v1';

/** A Kubernetes object; fields beyond metadata pass through untouched. */
export const KubeObjectSchema = Type.Object(
  {
    metadata: Type.Object(
      { name: Type.String(), namespace: Type.Optional(Type.String()) },
      { additionalProperties: true },
    ),
  },
  { additionalProperties: true },
);

export const maxPageSize = 500;
export const defaultPageSize = 50;

export const ListQuerySchema = Type.Object({
  /** Omitted or empty: every namespace (the person needs a rule for every namespace). */
  namespace: Type.Optional(Type.String({ maxLength: 253 })),
  labelSelector: Type.Optional(Type.String({ maxLength: 1024 })),
  /** `path=value,path!=value` over any field of the objects (not only the server's few). */
  fieldSelector: Type.Optional(Type.String({ maxLength: 1024 })),
  /** Case-insensitive text matched against name, namespace and the kind's search fields. */
  search: Type.Optional(Type.String({ maxLength: 256 })),
  /** A column id of the kind; the default is the name. */
  sort: Type.Optional(Type.String({ maxLength: 64 })),
  order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
  /** 1-based. */
  page: Type.Optional(Type.Integer({ minimum: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: maxPageSize })),
});
export type ListQuery = Static<typeof ListQuerySchema>;

export const ListResponseSchema = Type.Object({
  items: Type.Array(KubeObjectSchema),
  /** Objects matching the filters, over all pages. */
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});
export type ListResponse<T = Static<typeof KubeObjectSchema>> = Omit<
  Static<typeof ListResponseSchema>,
  'items'
> & { items: T[] };

export const ObjectQuerySchema = Type.Object({
  namespace: Type.Optional(Type.String({ maxLength: 253 })),
});
export type ObjectQuery = Static<typeof ObjectQuerySchema>;

export const ScaleBodySchema = Type.Object({
  replicas: Type.Integer({ minimum: 0, maximum: 10_000 }),
});
export type ScaleBody = Static<typeof ScaleBodySchema>;

export const ScaleResponseSchema = Type.Object({ replicas: Type.Integer() });
export type ScaleResponse = Static<typeof ScaleResponseSchema>;

/** One error shape for every refusal and failure. */
export const ErrorSchema = Type.Object({
  code: Type.String(),
  message: Type.String(),
  details: Type.Optional(Type.Unknown()),
});
export type ApiError = Static<typeof ErrorSchema>;

const enc = encodeURIComponent;

export const resourcePaths = {
  collection: (cluster: string, resource: string) =>
    `${apiBase}/clusters/${enc(cluster)}/resources/${enc(resource)}`,
  object: (cluster: string, resource: string, name: string) =>
    `${apiBase}/clusters/${enc(cluster)}/resources/${enc(resource)}/${enc(name)}`,
  scale: (cluster: string, resource: string, name: string) =>
    `${apiBase}/clusters/${enc(cluster)}/resources/${enc(resource)}/${enc(name)}/scale`,
};
