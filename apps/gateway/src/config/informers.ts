// How many shared informers (one upstream watch each) may run: per cluster, so that nobody can make
// the API server hold unbounded watches, and per person, so that one person cannot take a
// cluster's whole share. Past a bound a list answers 429 TooManyInformers at once, never a queue.
import { integer, type Env } from './env.js';

export interface InformersConfig {
  /** Informers running at once on one cluster (BINNACLE_INFORMERS_PER_CLUSTER). */
  informersPerCluster: number;
  /** Informers one person's lists and subscriptions may have started (BINNACLE_INFORMERS_PER_PERSON). */
  informersPerPerson: number;
}

export function loadInformersConfig(env: Env): InformersConfig {
  return {
    informersPerCluster: integer(env, {
      name: 'BINNACLE_INFORMERS_PER_CLUSTER',
      fallback: 100,
      min: 1,
      max: 100_000,
    }),
    informersPerPerson: integer(env, {
      name: 'BINNACLE_INFORMERS_PER_PERSON',
      fallback: 20,
      min: 1,
      max: 100_000,
    }),
  };
}
