// Kubernetes' answers in the gateway's error shape: a refusal of the API server (4xx) keeps its
// status, reason and message (written for people, free of credentials); a failure of the cluster
// or of the way to it becomes a 502 saying so (without the cluster's internals).
import { KubeError } from '@binnacle/kube';
import { HttpError } from './http-error.js';

export function fromKubeError(err: unknown): unknown {
  if (!(err instanceof KubeError)) return err;
  if (err.code >= 400 && err.code < 500) {
    return HttpError.of({
      status: err.code,
      code: err.reason,
      message: err.message,
      details: err.details,
    });
  }
  return HttpError.badGateway(
    'The cluster could not answer; check its health on the clusters page and try again.',
  );
}

/** Runs a call to a cluster, turning its KubeError into an HttpError. */
export async function kube<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw fromKubeError(err);
  }
}
