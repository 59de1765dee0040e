// Informer health in Prometheus: informers running (by cluster, resource and synced state), their
// users and cached objects, starts, relists after an expired resourceVersion, and restarts after a
// failed list or watch. Gauges are read from the hub at scrape time; counters add what each
// informer's health gained since the last look (and a last time when it stops).
import { resourceKey } from '@binnacle/resources';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { SharedInformer } from './shared.js';

const labelNames = ['cluster', 'resource'] as const;

export interface InformerMetrics {
  started: (informer: SharedInformer) => void;
  stopped: (informer: SharedInformer) => void;
}

export function informerMetrics(
  registry: Registry,
  informers: () => readonly SharedInformer[],
): InformerMetrics {
  const starts = new Counter({
    name: 'binnacle_informer_starts_total',
    help: 'Shared informers started (one upstream list+watch each), by cluster and resource',
    labelNames,
    registers: [registry],
  });
  const relists = new Counter({
    name: 'binnacle_informer_relists_total',
    help: 'Relists because the watch resourceVersion had expired (410 Gone), by cluster and resource',
    labelNames,
    registers: [registry],
    collect: () => {
      account();
    },
  });
  const restarts = new Counter({
    name: 'binnacle_informer_restarts_total',
    help: 'Lists or watches that failed and were started again after a backoff, by cluster and resource',
    labelNames,
    registers: [registry],
    collect: () => {
      account();
    },
  });

  const labels = (informer: SharedInformer) => ({
    cluster: informer.cluster,
    resource: resourceKey(informer.entry),
  });

  const addGains = (informer: SharedInformer): void => {
    const { expired, errorCount } = informer.health();
    const { counted } = informer;
    if (expired > counted.expired) relists.inc(labels(informer), expired - counted.expired);
    if (errorCount > counted.errors) restarts.inc(labels(informer), errorCount - counted.errors);
    counted.expired = expired;
    counted.errors = errorCount;
  };

  function account(): void {
    for (const informer of informers()) addGains(informer);
  }

  const perInformer = (
    gauge: { name: string; help: string; bySynced?: boolean },
    value: (informer: SharedInformer) => number,
  ): void => {
    new Gauge({
      name: gauge.name,
      help: gauge.help,
      labelNames: gauge.bySynced === true ? [...labelNames, 'synced'] : labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const informer of informers()) {
          const synced = gauge.bySynced === true ? { synced: String(informer.isSynced()) } : {};
          this.inc({ ...labels(informer), ...synced }, value(informer));
        }
      },
    });
  };
  perInformer(
    {
      name: 'binnacle_informers',
      help: 'Shared informers running now, by cluster, resource and whether their first list is in',
      bySynced: true,
    },
    () => 1,
  );
  perInformer(
    {
      name: 'binnacle_informer_users',
      help: 'Leases held on shared informers (lists in flight, live subscriptions)',
    },
    (informer) => informer.users,
  );
  perInformer(
    { name: 'binnacle_informer_objects', help: 'Objects cached by shared informers' },
    (informer) => informer.size,
  );
  perInformer(
    {
      name: 'binnacle_informer_connected',
      help: 'Shared informers whose list or watch is connected now',
    },
    (informer) => (informer.health().connected ? 1 : 0),
  );

  return {
    started: (informer) => {
      starts.inc(labels(informer));
    },
    stopped: addGains,
  };
}
