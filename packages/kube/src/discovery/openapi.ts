// OpenAPI v3 schemas, one document per group version. Documents are big (the core one is several
// MB) and their URLs carry a content hash, so a fetched document is kept until evicted.
import type { CallOptions, KubeClient } from '../client.ts';
import { KubeError } from '../errors.ts';

export interface OpenApiPaths {
  /** Keyed by `api/v1`, `apis/apps/v1`, ...; the URL carries a `hash` query that changes with the content. */
  paths: Record<string, { serverRelativeURL: string }>;
}

export interface OpenApiSchema {
  type?: string;
  description?: string;
  properties?: Record<string, OpenApiSchema>;
  items?: OpenApiSchema;
  additionalProperties?: OpenApiSchema | boolean;
  allOf?: OpenApiSchema[];
  $ref?: string;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
  [key: string]: unknown;
}

export interface OpenApiDocument {
  openapi?: string;
  components?: { schemas?: Record<string, OpenApiSchema> };
  [key: string]: unknown;
}

/** Documents kept across calls; the oldest used is dropped first. */
const maxCachedDocuments = 32;
const cache = new Map<string, OpenApiDocument>();

export function openApiPaths(client: KubeClient, options: CallOptions = {}): Promise<OpenApiPaths> {
  return client.request<OpenApiPaths>({ path: '/openapi/v3', ...call(options) });
}

/** The document of one group version: `apps/v1`, or `v1` for core. */
export async function openApiDocument(
  client: KubeClient,
  groupVersion: string,
  options: CallOptions = {},
): Promise<OpenApiDocument> {
  const key = groupVersion.includes('/') ? `apis/${groupVersion}` : `api/${groupVersion}`;
  const entry = (await openApiPaths(client, options)).paths[key];
  if (entry === undefined) {
    throw new KubeError({
      code: 404,
      reason: 'NotFound',
      message: `the server has no OpenAPI v3 document for ${groupVersion}`,
    });
  }
  // Resolved against a dummy origin only to split path and query; refuses URLs elsewhere.
  const url = new URL(entry.serverRelativeURL, 'http://server.invalid');
  if (url.origin !== 'http://server.invalid' || !url.pathname.startsWith('/openapi/v3/')) {
    throw new KubeError({
      code: 0,
      reason: 'ProtocolError',
      message: `unexpected OpenAPI document URL for ${groupVersion}`,
    });
  }
  const cacheKey = `${client.transport.server}${url.pathname}${url.search}`;
  const cached = cache.get(cacheKey);
  if (cached !== undefined) {
    // Re-inserted to mark it as the most recently used.
    cache.delete(cacheKey);
    cache.set(cacheKey, cached);
    return cached;
  }
  // Only finished documents are cached, so one caller's abort never fails another's request.
  const doc = await client.request<OpenApiDocument>({
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    ...call(options),
  });
  cache.set(cacheKey, doc);
  for (const oldest of cache.keys()) {
    if (cache.size <= maxCachedDocuments) break;
    cache.delete(oldest);
  }
  return doc;
}

/**
 * The component schema of a kind, with `$ref`s to other components inlined (a recursive one,
 * like CRD's JSONSchemaProps, is left as a `$ref` where it recurs).
 */
export function schemaFor(
  doc: OpenApiDocument,
  gvk: { group: string; version: string; kind: string },
): OpenApiSchema | undefined {
  const schemas = doc.components?.schemas ?? {};
  for (const [name, schema] of Object.entries(schemas)) {
    const matches = schema['x-kubernetes-group-version-kind']?.some(
      (g) => g.group === gvk.group && g.version === gvk.version && g.kind === gvk.kind,
    );
    if (matches) return inline(schema, { schemas, seen: new Set([name]) });
  }
  return undefined;
}

const refPrefix = '#/components/schemas/';

interface InlineContext {
  schemas: Record<string, OpenApiSchema>;
  /** Components on the way from the root: meeting one again is a recursion. */
  seen: Set<string>;
}

function inline(schema: OpenApiSchema, ctx: InlineContext): OpenApiSchema {
  const { $ref, allOf, ...rest } = schema;
  // Kubernetes wraps a reference as `allOf: [{ $ref }]` so that it can carry a description.
  const only = allOf?.length === 1 ? allOf[0] : undefined;
  const ref = $ref ?? (only && Object.keys(only).length === 1 ? only.$ref : undefined);
  let out: OpenApiSchema = {};
  if (ref !== undefined) out = resolveRef(ref, ctx);
  else if (allOf !== undefined) out.allOf = allOf.map((s) => inline(s, ctx));
  for (const [key, value] of Object.entries(rest)) out[key] = inlineField(key, value, ctx);
  return out;
}

function resolveRef(ref: string, ctx: InlineContext): OpenApiSchema {
  const name = ref.startsWith(refPrefix) ? ref.slice(refPrefix.length) : undefined;
  const target = name === undefined ? undefined : ctx.schemas[name];
  if (name === undefined || target === undefined || ctx.seen.has(name)) return { $ref: ref };
  return inline(target, { schemas: ctx.schemas, seen: new Set([...ctx.seen, name]) });
}

/** Walks only the keywords that hold schemas: a property may well be named `$ref`. */
function inlineField(key: string, value: unknown, ctx: InlineContext): unknown {
  if (typeof value !== 'object' || value === null) return value;
  switch (key) {
    case 'properties':
    case 'patternProperties':
      return Object.fromEntries(
        Object.entries(value as Record<string, OpenApiSchema>).map(([k, v]) => [k, inline(v, ctx)]),
      );
    case 'items':
    case 'additionalProperties':
    case 'not':
      return Array.isArray(value) ? value : inline(value as OpenApiSchema, ctx);
    case 'anyOf':
    case 'oneOf':
      return Array.isArray(value) ? (value as OpenApiSchema[]).map((s) => inline(s, ctx)) : value;
    default:
      return value;
  }
}

function call(options: CallOptions): CallOptions {
  return {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  };
}
