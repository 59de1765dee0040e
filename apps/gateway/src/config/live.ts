// Bounds of one live socket: how many subscriptions it may hold, and how large the snapshot that
// opens an `objects` subscription may be. Past either the subscription gets an error naming the
// limit (TooManySubscriptions, status 429; SnapshotTooLarge, status 413).
import { integer, type Env } from './env.js';

export interface LiveConfig {
  /** Subscriptions one socket may hold (BINNACLE_LIVE_MAX_SUBSCRIPTIONS). */
  maxSubscriptions: number;
  /** Bytes of JSON one snapshot may take (BINNACLE_LIVE_MAX_SNAPSHOT_BYTES). */
  maxSnapshotBytes: number;
}

export function loadLiveConfig(env: Env): LiveConfig {
  return {
    maxSubscriptions: integer(env, {
      name: 'BINNACLE_LIVE_MAX_SUBSCRIPTIONS',
      fallback: 50,
      min: 1,
      max: 10_000,
    }),
    maxSnapshotBytes: integer(env, {
      name: 'BINNACLE_LIVE_MAX_SNAPSHOT_BYTES',
      fallback: 4 * 1024 * 1024,
      min: 1024,
      max: 1024 * 1024 * 1024,
    }),
  };
}
