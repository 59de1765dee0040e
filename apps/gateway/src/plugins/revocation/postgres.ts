// Carries revocation events between replicas on PostgreSQL: each replica LISTENs on one channel
// with a connection of its own, and raising an event is a NOTIFY. A lost connection is opened
// again; since events may have been missed meanwhile, `resync` then asks for a full re-check.
import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';

export const channel = 'binnacle_revocation';
const retryMs = [250, 500, 1000, 2000, 5000];

export interface PostgresBus {
  notify: (payload: string) => Promise<void>;
  close: () => Promise<void>;
}

export async function listenPostgres(options: {
  url: string;
  log: FastifyBaseLogger;
  onPayload: (payload: string) => void;
  /** Called after a reconnect: events of the gap are lost, so everything is checked again. */
  resync: () => void;
}): Promise<PostgresBus> {
  const { url, log } = options;
  let client: pg.Client | undefined;
  let closed = false;
  let attempt = 0;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (message) => {
      if (message.channel === channel && message.payload !== undefined) {
        options.onPayload(message.payload);
      }
    });
    next.on('error', (err) => {
      log.warn({ err }, 'the revocation listener lost PostgreSQL; reconnecting');
      lost(next);
    });
    next.on('end', () => {
      lost(next);
    });
    await next.connect();
    await next.query(`listen ${channel}`);
    client = next;
    attempt = 0;
  };

  const lost = (which: pg.Client): void => {
    if (closed || client !== which) return;
    client = undefined;
    void which.end().catch(() => undefined);
    schedule();
  };

  const schedule = (): void => {
    const wait = retryMs[Math.min(attempt, retryMs.length - 1)] ?? 5000;
    attempt += 1;
    retry = setTimeout(() => {
      connect().then(options.resync, (err: unknown) => {
        log.warn({ err }, 'the revocation listener cannot reach PostgreSQL yet');
        if (!closed) schedule();
      });
    }, wait);
    retry.unref();
  };

  await connect();
  return {
    // Through the listening connection when it is up; any connection may NOTIFY.
    notify: async (payload) => {
      const via = client ?? new pg.Client({ connectionString: url });
      const own = via !== client;
      if (own) await via.connect();
      try {
        await via.query('select pg_notify($1, $2)', [channel, payload]);
      } finally {
        if (own) await via.end();
      }
    },
    close: async () => {
      closed = true;
      clearTimeout(retry);
      const last = client;
      client = undefined;
      await last?.end().catch(() => undefined);
    },
  };
}
