// One error shape for every answer: { code, message, details? }. Bad input gets a 4xx that says what
// to fix; a 5xx never carries internals (the log has them, keyed by the request id).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from '@binnacle/contract';
import { KubeError } from '@binnacle/kube';
import fp from 'fastify-plugin';
import { HttpError } from './http-error.js';
import { fromKubeError } from './kube.js';

export type { ErrorBody } from '@binnacle/contract';

export { HttpError } from './http-error.js';
export { fromKubeError, kube } from './kube.js';

const codeByStatus: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
};

export function toErrorBody(err: FastifyError | HttpError, status: number): ErrorBody {
  // Our own 5xx HttpErrors (a cluster that cannot answer, a timeout) are written for people.
  if (status >= 500 && !(err instanceof HttpError))
    return { code: 'InternalError', message: 'Something went wrong on our side; try again later.' };
  if (err instanceof HttpError) {
    return {
      code: err.code,
      message: err.message,
      ...(err.details !== undefined ? { details: err.details } : {}),
    };
  }
  const fe = err;
  if (fe.validation) {
    return {
      code: 'BadRequest',
      message: `Invalid request: ${fe.message}`,
      details: fe.validation.map((v) => ({
        field: v.instancePath || v.params.missingProperty,
        problem: v.message,
      })),
    };
  }
  return { code: codeByStatus[status] ?? 'BadRequest', message: fe.message };
}

function handler(
  this: FastifyInstance,
  thrown: FastifyError | KubeError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  // A Kubernetes refusal keeps its status and reason; any other cluster failure is a 502.
  const err = thrown instanceof KubeError ? (fromKubeError(thrown) as HttpError) : thrown;
  const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
  if (status >= 500) request.log.error({ err }, 'request failed');
  else request.log.info({ code: err.code, status }, err.message);
  void reply.status(status).send(toErrorBody(err, status));
}

export default fp(
  (app: FastifyInstance) => {
    app.setErrorHandler(handler);
    app.setNotFoundHandler((request, reply) => {
      void reply.status(404).send({
        code: 'NotFound',
        message: `No such page: ${request.method} ${request.url.split('?')[0] ?? ''}`,
      });
    });
    return Promise.resolve();
  },
  { name: 'errors' },
);
