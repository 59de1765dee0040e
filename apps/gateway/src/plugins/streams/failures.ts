// What went wrong, as the `error` message a person reads before the socket closes. Messages from
// the cluster are passed on (they carry no credentials); our own bugs are not.
import { KubeError } from '@binnacle/kube';
import type { FastifyBaseLogger } from 'fastify';
import { HttpError } from '../errors/index.js';
import type { StreamFailure } from './outbound.js';

/** A failure the handler found itself (a container that does not exist, a bad message…). */
export class StreamError extends Error {
  override name = 'StreamError';
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

const maxMessageChars = 2000;

function clip(text: string): string {
  return text.length <= maxMessageChars ? text : `${text.slice(0, maxMessageChars)}…`;
}

function fromKube(err: KubeError, what: string): StreamFailure {
  if (err.code === 403) {
    return { code: 'Forbidden', message: clip(`The cluster refused the ${what}: ${err.message}`) };
  }
  if (err.code === 404) {
    return { code: 'NotFound', message: clip(`The cluster has no such pod: ${err.message}`) };
  }
  if (err.code === 0) {
    return {
      code: 'Unavailable',
      message: clip(`The cluster could not be reached for the ${what}: ${err.message}`),
    };
  }
  return { code: err.reason || 'Upstream', message: clip(`The ${what} failed: ${err.message}`) };
}

/** The `error` message for anything a stream handler caught. */
export function failureOf(
  err: unknown,
  options: { what: 'logs' | 'command'; log: FastifyBaseLogger },
): StreamFailure {
  if (err instanceof StreamError) return { code: err.code, message: err.message };
  if (err instanceof HttpError && err.statusCode < 500) {
    return { code: err.code, message: err.message };
  }
  if (err instanceof KubeError) return fromKube(err, options.what);
  options.log.error({ err }, 'a stream failed');
  return { code: 'InternalError', message: 'Something went wrong on our side; try again later.' };
}
