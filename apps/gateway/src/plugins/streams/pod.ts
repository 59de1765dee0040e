// The pod a stream is for, and the container in it: the one asked for, or the pod's default
// (the `kubectl.kubernetes.io/default-container` annotation, else its first container), as kubectl
// chooses. A wrong name is refused with the names there are.
import { core, KubeError, type KubeClient, type KubeObject } from '@binnacle/kube';
import { StreamError } from './failures.js';

const defaultContainerAnnotation = 'kubectl.kubernetes.io/default-container';

export async function readPod(
  client: KubeClient,
  ref: { namespace: string; name: string; signal: AbortSignal },
): Promise<KubeObject> {
  try {
    return await client.get(
      core.pods,
      { namespace: ref.namespace, name: ref.name },
      { signal: ref.signal },
    );
  } catch (err) {
    if (err instanceof KubeError && err.code === 404) {
      throw new StreamError(
        'NotFound',
        `There is no pod "${ref.name}" in namespace "${ref.namespace}"; it may have been deleted.`,
      );
    }
    throw err;
  }
}

function namesAt(spec: unknown, field: string): string[] {
  const list: unknown = typeof spec === 'object' && spec !== null ? Reflect.get(spec, field) : [];
  if (!Array.isArray(list)) return [];
  return list.flatMap((container: unknown) => {
    const name: unknown =
      typeof container === 'object' && container !== null
        ? Reflect.get(container, 'name')
        : undefined;
    return typeof name === 'string' ? [name] : [];
  });
}

/** Regular, init and ephemeral containers, in that order. */
export function containerNames(pod: KubeObject): string[] {
  return ['containers', 'initContainers', 'ephemeralContainers'].flatMap((field) =>
    namesAt(pod.spec, field),
  );
}

export function chooseContainer(pod: KubeObject, asked: string | undefined): string {
  const names = containerNames(pod);
  const podName = pod.metadata.name ?? '';
  if (asked !== undefined && asked !== '') {
    if (names.includes(asked)) return asked;
    throw new StreamError(
      'ContainerNotFound',
      `Pod "${podName}" has no container "${asked}"; its containers are ${names.map((n) => `"${n}"`).join(', ')}.`,
    );
  }
  const annotated = pod.metadata.annotations?.[defaultContainerAnnotation];
  if (annotated !== undefined && names.includes(annotated)) return annotated;
  const [first] = names;
  if (first === undefined) {
    throw new StreamError('ContainerNotFound', `Pod "${podName}" has no containers.`);
  }
  return first;
}
