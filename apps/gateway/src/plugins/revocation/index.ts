// Revocation events: the auth, rbac and clusters code raise one when someone's access may have
// ended (disabled, signed out, token revoked, groups, roles or a cluster changed); whoever holds
// long-lived connections (the sockets plugin) listens and closes what no longer holds. With
// SQLite the event stays in this process; with PostgreSQL a NOTIFY carries it to every replica.
// Each revocation leaves an audit row `revocation.<cause>` naming what it closed.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { DbConfig } from '../../config/db.js';
import { decodeEvent, encodeEvent, type RevocationEvent } from './event.js';
import { listenPostgres, type PostgresBus } from './postgres.js';

export { revocationCauses, type RevocationCause, type RevocationEvent } from './event.js';

/** What a listener closed, for the audit row. */
export interface ClosedConnection {
  kind: string;
  username: string;
  code: number;
  cluster?: string;
  namespace?: string;
  pod?: string;
}

export type RevocationListener = (
  event: RevocationEvent,
) => Promise<readonly ClosedConnection[]> | readonly ClosedConnection[];

export interface Revocation {
  /**
   * Tells every replica of a revocation. Resolves once this replica's connections it concerns
   * are closed (their upstreams aborted) and the event is on its way to the others.
   */
  raise: (event: RevocationEvent) => Promise<void>;
  /**
   * Subscribes; returns the unsubscribe function. Listeners with `last` run after the others:
   * caches (a cluster's client) are dropped only once the connections that used them are closed,
   * so that those close with the revocation's code rather than an upstream failure.
   */
  on: (listener: RevocationListener, options?: { last?: boolean }) => () => void;
}

declare module 'fastify' {
  interface FastifyInstance {
    revocation: Revocation;
  }
}

async function revocation(app: FastifyInstance, config: DbConfig): Promise<void> {
  const origin = randomUUID();
  const listeners = new Set<RevocationListener>();
  const lastListeners = new Set<RevocationListener>();

  const handle = async (event: RevocationEvent, options: { local: boolean }): Promise<void> => {
    const closed: ClosedConnection[] = [];
    for (const listener of [...listeners, ...lastListeners]) {
      try {
        closed.push(...(await listener(event)));
      } catch (err) {
        app.log.error({ err, cause: event.cause }, 'a revocation listener failed');
      }
    }
    // One row where the change was made; another on each replica that closed something.
    if (!options.local && closed.length === 0) return;
    if (!app.hasDecorator('audit')) return;
    const { cause, by, userId, sessionId, tokenId, clusterId } = event;
    try {
      await app.audit.record({
        actor: by ?? 'system',
        action: `revocation.${cause}`,
        cluster: clusterId,
        result: 'success',
        detail: { userId, sessionId, tokenId, replica: origin, closed },
      });
    } catch (err) {
      app.log.error({ err }, 'a revocation was not recorded');
    }
  };

  let bus: PostgresBus | undefined;
  if (config.dialect === 'postgres') {
    bus = await listenPostgres({
      url: config.url,
      log: app.log,
      onPayload: (payload) => {
        const decoded = decodeEvent(payload);
        if (decoded === undefined) {
          app.log.warn('a malformed revocation event was ignored');
          return;
        }
        if (decoded.origin === origin) return;
        void handle(decoded.event, { local: false });
      },
      // Events sent while the listener was away are lost: check every connection again.
      resync: () => {
        void handle({ cause: 'roles-changed' }, { local: false });
      },
    });
    app.addHook('onClose', async () => {
      await bus?.close();
    });
  }

  app.decorate('revocation', {
    raise: async (event) => {
      app.log.info({ revocation: event }, 'revocation');
      await handle(event, { local: true });
      if (bus !== undefined) {
        try {
          await bus.notify(encodeEvent(event, origin));
        } catch (err) {
          // Other replicas still see it at their next periodic check (at most 30 s later).
          app.log.error({ err }, 'a revocation event could not reach the other replicas');
        }
      }
    },
    on: (listener, options = {}) => {
      const set = options.last === true ? lastListeners : listeners;
      set.add(listener);
      return () => set.delete(listener);
    },
  } satisfies Revocation);
}

export default fp(revocation, { name: 'revocation', dependencies: ['db'], fastify: '5.x' });
