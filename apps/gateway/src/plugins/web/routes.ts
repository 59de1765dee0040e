// GET (and HEAD) for the two apps: a listed file as it is, otherwise the app's index.html so that
// client-side routes survive a reload. Hashed assets are cached for good; pages never.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { isAsset } from './files.js';
import { fileParams } from './schemas.js';

export interface ServedApp {
  /** Absolute folder of the build. */
  root: string;
  /** Files of the build, relative to root with "/". */
  files: ReadonlySet<string>;
  /** The Content-Security-Policy of its index.html. */
  policy: string;
}

/** The gateway's API: its unknown paths keep their JSON 404. */
const apiRoot = '/k8s-api/';
const forever = 'public, max-age=31536000, immutable';
// Pages and unhashed files: always revalidated (ETag / Last-Modified), so a deploy shows at once.
const revalidate = 'no-cache';

function sendPage(reply: FastifyReply, app: ServedApp): FastifyReply {
  return reply
    .header('cache-control', revalidate)
    .header('content-security-policy', app.policy)
    .sendFile('index.html', app.root, { cacheControl: false });
}

function send(reply: FastifyReply, app: ServedApp, path: string): FastifyReply {
  if (path === '' || path === 'index.html') return sendPage(reply, app);
  if (app.files.has(path)) {
    return reply
      .header('cache-control', isAsset(path) ? forever : revalidate)
      .sendFile(path, app.root, { cacheControl: false });
  }
  if (isAsset(path)) return notFound(reply);
  return sendPage(reply, app);
}

// Not in the OpenAPI document: these are pages, not API. Fastify adds HEAD to each GET.
const hidden = { schema: { hide: true, params: fileParams } };

function notFound(reply: FastifyReply): FastifyReply {
  reply.callNotFound();
  return reply;
}

export function webRoutes(instance: FastifyInstance, apps: { host: ServedApp; k8s: ServedApp }) {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();

  // A direct visit to /k8s (or anything below) runs web-k8s on its own; it resumes the session
  // with the refresh cookie, so a person signed in at the portal does not sign in again.
  app.get('/k8s', { schema: { hide: true } }, (_request, reply) => sendPage(reply, apps.k8s));
  app.get('/k8s/*', hidden, (request, reply) => send(reply, apps.k8s, request.params['*']));
  app.get('/*', hidden, (request, reply) =>
    request.url.startsWith(apiRoot) ? notFound(reply) : send(reply, apps.host, request.params['*']),
  );
}
