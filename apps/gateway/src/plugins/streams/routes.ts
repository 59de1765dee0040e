// The two stream sockets. Each declares its permission (pods/log, pods/exec in the cluster and
// namespace of the path), which the sockets guard checks with the ticket and Origin before the
// upgrade; the handler then only has to serve.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { apiPrefix, fromParam } from '../rbac/index.js';
import { openStream } from './context.js';
import { streamExec, type ExecSettings } from './exec.js';
import { streamLogs } from './logs.js';
import type { StreamMetrics } from './metrics.js';
import { ExecQuerySchema, LogsQuerySchema, PodParamsSchema } from './schemas.js';

/** The pattern of the contract's `streamPaths` (a test checks that the two agree). */
const podPath = `${apiPrefix}/clusters/:cluster/namespaces/:namespace/pods/:name`;

const onPod = (verb: 'log' | 'exec') => ({
  rbac: {
    resource: 'pods',
    verb,
    cluster: fromParam('cluster'),
    namespace: fromParam('namespace'),
  },
});

export interface StreamRoutesOptions {
  metrics: StreamMetrics;
  exec: ExecSettings;
  /** Bytes waiting in a browser's socket beyond which the upstream is paused. */
  highWater: number;
  /** Told of each session being served; the promise settles once its upstream has ended. */
  serving: (session: Promise<void>) => void;
}

export default function routes(app: FastifyInstance, options: StreamRoutesOptions): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { metrics, highWater } = options;

  api.get(
    `${podPath}/logs`,
    {
      websocket: true,
      preValidation: app.sockets.guard,
      config: onPod('log'),
      schema: { params: PodParamsSchema, querystring: LogsQuerySchema, hide: true },
    },
    (socket, request) => {
      const { params } = request;
      options.serving(
        streamLogs(
          openStream({ app, request, socket, kind: 'logs', params, metrics, highWater }),
          request.query,
        ),
      );
    },
  );

  api.get(
    `${podPath}/exec`,
    {
      websocket: true,
      preValidation: app.sockets.guard,
      config: onPod('exec'),
      schema: { params: PodParamsSchema, querystring: ExecQuerySchema, hide: true },
    },
    (socket, request) => {
      const { params } = request;
      options.serving(
        streamExec(
          openStream({ app, request, socket, kind: 'exec', params, metrics, highWater }),
          request.query,
          options.exec,
        ),
      );
    },
  );
}
