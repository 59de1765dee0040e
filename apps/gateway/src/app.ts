// Registers the gateway's plugins; nothing else lives here.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { clientErrorHandler } from './client-errors.js';
import type { GatewayConfig } from './config/index.js';
import { requestSerializer } from './logging.js';
import audit, { type AuditPluginOptions } from './plugins/audit/index.js';
import boot from './plugins/boot/index.js';
import auth from './plugins/auth/index.js';
import clusters from './plugins/clusters/index.js';
import db from './plugins/db/index.js';
import errors from './plugins/errors/index.js';
import keyring from './plugins/keyring/index.js';
import limits from './plugins/limits/index.js';
import live, { type LiveOptions } from './plugins/live/index.js';
import ops from './plugins/ops/index.js';
import rbac from './plugins/rbac/index.js';
import resources, { type ResourcesOptions } from './plugins/resources/index.js';
import revocation from './plugins/revocation/index.js';
import security from './plugins/security/index.js';
import sockets, { type SocketsOptions } from './plugins/sockets/index.js';
import sso from './plugins/sso/index.js';
import streams, { type StreamsOptions } from './plugins/streams/index.js';
import web from './plugins/web/index.js';

/** Timings and limits of plugins that the environment does not set (tests shorten them). */
export interface PluginTuning {
  audit?: AuditPluginOptions;
  resources?: ResourcesOptions;
  live?: LiveOptions;
  streams?: StreamsOptions;
  sockets?: SocketsOptions;
}

export async function buildApp(
  config: GatewayConfig,
  tuning: PluginTuning = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      // Credentials never reach a log line, whatever a plugin logs.
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
        censor: '[redacted]',
      },
      serializers: { req: requestSerializer },
    },
    bodyLimit: config.security.bodyLimit,
    // A client gets this long to send its whole request, and a silent connection is closed.
    requestTimeout: config.limits.requestTimeoutSeconds * 1000,
    connectionTimeout: config.limits.connectionTimeoutSeconds * 1000,
    // Given at creation too, with how often Node looks for requests past it (default 30 s).
    http: {
      requestTimeout: config.limits.requestTimeoutSeconds * 1000,
      connectionsCheckingInterval: Math.min(30_000, config.limits.requestTimeoutSeconds * 250),
    },
    clientErrorHandler: clientErrorHandler(config.limits),
    trustProxy: (_address: string, hop: number) => hop < config.security.trustProxyHops,
    // Request ids are always the gateway's own, so a caller cannot forge or collide with one in
    // the log or the audit record; a caller's X-Request-Id is logged beside it (logging.ts).
    requestIdHeader: false,
    genReqId: () => randomUUID(),
  });
  await app.register(errors);
  // boot first: its schema check sees every route registered after it.
  await app.register(boot);
  await app.register(security, config.security);
  await app.register(db, config.db);
  // Before every plugin that raises or hears revocation events (auth, rbac, clusters, sockets).
  await app.register(revocation, config.db);
  await app.register(keyring, config.keyring);
  // ops first among route plugins: its OpenAPI document sees every route registered after it.
  await app.register(ops, config.ops);
  // Before rbac and auth's routes: its hook runs after sign-in is known, before permissions.
  await app.register(limits, config.limits);
  // rbac before any /k8s-api/v1 route, so that a route without config.rbac fails the boot.
  await app.register(rbac);
  await app.register(audit, {
    anonymousPerAddress: config.limits.auditAnonymousPerAddress,
    anonymousWindowSeconds: config.limits.auditAnonymousWindowSeconds,
    ...tuning.audit,
  });
  await app.register(auth, config.auth);
  await app.register(sso, config.sso);
  await app.register(clusters, {
    ...config.clusters,
    addresses: config.clusterAddresses,
    upstreamTimeoutMs: config.limits.upstreamTimeoutSeconds * 1000,
  });
  await app.register(sockets, {
    recheckMs: config.sockets.recheckSeconds * 1000,
    maxLifetimeMs: config.sockets.maxHours * 3_600_000,
    perUser: config.sockets.perUser,
    ...tuning.sockets,
  });
  await app.register(streams, tuning.streams ?? {});
  await app.register(resources, { ...config.informers, ...tuning.resources });
  await app.register(live, { ...config.live, ...tuning.live });
  // Last: its catch-all page routes yield to every API route (find-my-way prefers static paths).
  await app.register(web, config.web);
  return app;
}
