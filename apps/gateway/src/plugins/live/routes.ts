// GET /k8s-api/v1/live: the live WebSocket. The upgrade is refused (Origin, ticket, sign-in) by the
// sockets guard before it happens; each subscription is then checked against the person's roles.
import { livePath } from '@binnacle/contract';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { LiveConnection, type LiveSettings } from './connection.js';
import { requestIds } from '../../logging.js';
import { upgradeQuery } from './schemas.js';

export default function routes(app: FastifyInstance, settings: LiveSettings): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    livePath,
    {
      websocket: true,
      config: { rbac: { authenticated: true } },
      preValidation: app.sockets.guard,
      schema: { querystring: upgradeQuery },
    },
    (socket, request) => {
      const user = request.user;
      if (user === undefined) {
        // the guard lets nobody in without a user; this only keeps the types honest
        socket.close(1008, 'Sign in first.');
        return;
      }
      const connection = new LiveConnection(socket, user, {
        hub: app.informers,
        admission: app.informerAdmission,
        rbac: app.rbac,
        log: request.log,
        count: (direction) => {
          app.sockets.message('live', direction);
        },
        refused: (refusal) => {
          if (!app.hasDecorator('audit')) return;
          app.audit
            .record({
              actor: user.username,
              action: 'live.subscribe',
              cluster: refusal.cluster,
              namespace: refusal.namespace === '' ? undefined : refusal.namespace,
              kind: refusal.resource,
              verb: 'watch',
              result: 'denied',
              ip: request.ip,
              detail: { when: refusal.when, message: refusal.message, ...requestIds(request) },
            })
            .catch((err: unknown) => {
              request.log.error({ err }, 'a refused subscription was not recorded');
            });
        },
        settings,
      });
      // Each check of the socket hands over the person as stored now: their current groups
      // decide every subscription from then on, and those no longer allowed end.
      const tracked = app.sockets.track(socket, {
        kind: 'live',
        request,
        abort: () => {
          connection.end();
        },
      });
      tracked.onUser((current) => connection.recheck(current));
    },
  );
}
