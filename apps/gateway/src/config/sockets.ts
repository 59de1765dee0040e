// Limits of WebSockets (live, logs, exec): how long one may stay open, how often it is checked
// against the person as stored now, and how many one person may hold.
import { integer, type Env } from './env.js';

export interface SocketsConfig {
  /** No socket stays open longer than this, however busy (hours). */
  maxHours: number;
  /** Each socket is checked again this often against the person, their roles and the cluster. */
  recheckSeconds: number;
  /** Sockets one person may hold open on a replica; past it the upgrade is refused with 429. */
  perUser: number;
}

export function loadSocketsConfig(env: Env): SocketsConfig {
  return {
    maxHours: integer(env, { name: 'BINNACLE_SOCKET_MAX_HOURS', fallback: 12, min: 1, max: 168 }),
    recheckSeconds: integer(env, {
      name: 'BINNACLE_SOCKET_RECHECK_SECONDS',
      fallback: 30,
      min: 1,
      max: 30,
    }),
    perUser: integer(env, { name: 'BINNACLE_SOCKETS_PER_USER', fallback: 30, min: 1, max: 1000 }),
  };
}
