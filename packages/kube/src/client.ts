// Typed requests against one cluster: get, list (paged), create, replace, patch, delete, Table and
// raw streams. One client per cluster; `close()` releases its sockets.
import type { ClusterConnection, Impersonation } from './connection.ts';
import { KubeError } from './errors.ts';
import { resourcePath, type ObjectRef, type ResourceType } from './resource.ts';
import {
  Transport,
  type RawResponse,
  type RequestOptions,
  type TransportOptions,
} from './transport/transport.ts';
import type { KubeList, KubeObject, Table } from './types.ts';

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface ListOptions extends CallOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

export interface WriteOptions extends CallOptions {
  dryRun?: boolean;
  fieldManager?: string;
  /** Strict, Warn or Ignore unknown/duplicate fields (server-side field validation). */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

export interface PatchOptions extends WriteOptions {
  type: PatchType;
  /** Server-side apply: take fields owned by other managers. */
  force?: boolean;
}

export interface DeleteOptions extends CallOptions {
  dryRun?: boolean;
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

const patchContentTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

export class KubeClient {
  readonly transport: Transport;

  readonly #impersonate: Impersonation | undefined;

  constructor(
    conn: ClusterConnection | Transport,
    options: TransportOptions & { impersonate?: Impersonation } = {},
  ) {
    this.transport = conn instanceof Transport ? conn : new Transport(conn, options);
    this.#impersonate = options.impersonate;
  }

  /**
   * The same cluster and connection pool, acting as another person: every request carries their
   * Impersonate-* headers, so the cluster's RBAC and audit see them. Closing it closes the pool.
   */
  as(impersonate: Impersonation): KubeClient {
    return new KubeClient(this.transport, { impersonate });
  }

  /** Who this client acts as, when it impersonates (streams pass it to their handshake). */
  get impersonation(): Impersonation | undefined {
    return this.#impersonate;
  }

  /** Requests that don't fit the typed methods; the body is parsed as JSON. */
  request<T>(options: RequestOptions): Promise<T> {
    return this.transport.json<T>(this.#withIdentity(options));
  }

  /** A request whose answer streams back unparsed (pass-through, logs, big lists). */
  raw(options: RequestOptions): Promise<RawResponse> {
    return this.transport.raw(this.#withIdentity(options));
  }

  #withIdentity(options: RequestOptions): RequestOptions {
    return this.#impersonate && !options.impersonate
      ? { ...options, impersonate: this.#impersonate }
      : options;
  }

  get<T extends KubeObject = KubeObject>(
    type: ResourceType,
    ref: ObjectRef & { name: string },
    options: CallOptions = {},
  ): Promise<T> {
    return this.request<T>({ path: resourcePath(type, ref), ...call(options) });
  }

  /** One page of a list; follow `metadata.continue` or use `listAll`. */
  list<T extends KubeObject = KubeObject>(
    type: ResourceType,
    options: ListOptions = {},
  ): Promise<KubeList<T>> {
    return this.request<KubeList<T>>({
      path: resourcePath(type, namespaceRef(type, options.namespace)),
      query: listQuery(options),
      ...call(options),
    });
  }

  /** Every page of a list, one at a time: a big list is never held whole. */
  async *listPages<T extends KubeObject = KubeObject>(
    type: ResourceType,
    options: ListOptions = {},
  ): AsyncGenerator<KubeList<T>> {
    let next: string | undefined = options.continue;
    const limit = options.limit ?? 500;
    do {
      const page: KubeList<T> = await this.list<T>(type, { ...options, limit, continue: next });
      yield page;
      next = page.metadata.continue || undefined;
    } while (next !== undefined);
  }

  /** Every item of a list, page by page. */
  async *listAll<T extends KubeObject = KubeObject>(
    type: ResourceType,
    options: ListOptions = {},
  ): AsyncGenerator<T> {
    for await (const page of this.listPages<T>(type, options)) yield* page.items;
  }

  /** The server's Table rendering of a list (the columns kubectl shows). */
  table(
    type: ResourceType,
    options: ListOptions & { includeObject?: 'None' | 'Metadata' | 'Object' } = {},
  ): Promise<Table> {
    return this.request<Table>({
      path: resourcePath(type, namespaceRef(type, options.namespace)),
      query: { ...listQuery(options), includeObject: options.includeObject },
      accept: tableAccept,
      ...call(options),
    });
  }

  create<T extends KubeObject = KubeObject>(
    type: ResourceType,
    body: KubeObject,
    options: WriteOptions & { namespace?: string } = {},
  ): Promise<T> {
    return this.request<T>({
      method: 'POST',
      path: resourcePath(type, namespaceRef(type, options.namespace ?? body.metadata.namespace)),
      query: writeQuery(options),
      body: JSON.stringify(body),
      ...call(options),
    });
  }

  replace<T extends KubeObject = KubeObject>(
    type: ResourceType,
    body: KubeObject,
    options: WriteOptions = {},
  ): Promise<T> {
    const name = requireName(body);
    return this.request<T>({
      method: 'PUT',
      path: resourcePath(type, { namespace: body.metadata.namespace, name }),
      query: writeQuery(options),
      body: JSON.stringify(body),
      ...call(options),
    });
  }

  patch<T extends KubeObject = KubeObject>(
    type: ResourceType,
    ref: ObjectRef & { name: string },
    patch: unknown,
    options: PatchOptions,
  ): Promise<T> {
    if (options.type === 'apply' && !options.fieldManager) {
      throw new KubeError({
        code: 0,
        reason: 'InvalidConfig',
        message: 'server-side apply needs a fieldManager',
      });
    }
    return this.request<T>({
      method: 'PATCH',
      path: resourcePath(type, ref),
      query: {
        ...writeQuery(options),
        force: options.type === 'apply' && options.force ? true : undefined,
      },
      body: typeof patch === 'string' ? patch : JSON.stringify(patch),
      contentType: patchContentTypes[options.type],
      ...call(options),
    });
  }

  /** Server-side apply of a whole manifest. */
  apply<T extends KubeObject = KubeObject>(
    type: ResourceType,
    body: KubeObject,
    options: WriteOptions & { fieldManager: string; force?: boolean },
  ): Promise<T> {
    return this.patch<T>(
      type,
      { namespace: body.metadata.namespace, name: requireName(body) },
      body,
      {
        ...options,
        type: 'apply',
      },
    );
  }

  /** Deletes an object; the answer is the object (being deleted) or a Status. */
  delete(
    type: ResourceType,
    ref: ObjectRef & { name: string },
    options: DeleteOptions = {},
  ): Promise<KubeObject> {
    const body = {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      ...(options.propagationPolicy ? { propagationPolicy: options.propagationPolicy } : {}),
      ...(options.gracePeriodSeconds !== undefined
        ? { gracePeriodSeconds: options.gracePeriodSeconds }
        : {}),
      ...(options.preconditions ? { preconditions: options.preconditions } : {}),
      ...(options.dryRun ? { dryRun: ['All'] } : {}),
    };
    return this.request<KubeObject>({
      method: 'DELETE',
      path: resourcePath(type, ref),
      body: JSON.stringify(body),
      ...call(options),
    });
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}

function call(options: CallOptions): Pick<RequestOptions, 'signal' | 'timeoutMs'> {
  return {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  };
}

function namespaceRef(type: ResourceType, namespace: string | undefined): ObjectRef {
  return type.namespaced && namespace !== undefined ? { namespace } : {};
}

export function listQuery(options: ListOptions): RequestOptions['query'] {
  return {
    labelSelector: options.labelSelector,
    fieldSelector: options.fieldSelector,
    limit: options.limit,
    continue: options.continue,
    resourceVersion: options.resourceVersion,
    resourceVersionMatch: options.resourceVersionMatch,
  };
}

function writeQuery(options: WriteOptions): RequestOptions['query'] {
  return {
    dryRun: options.dryRun ? 'All' : undefined,
    fieldManager: options.fieldManager,
    fieldValidation: options.fieldValidation,
  };
}

function requireName(body: KubeObject): string {
  const name = body.metadata.name;
  if (!name)
    throw new KubeError({
      code: 0,
      reason: 'InvalidConfig',
      message: 'the object has no metadata.name',
    });
  return name;
}
