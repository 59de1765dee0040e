// One object, kept current by an `objects` subscription on its name: the detail page shows status
// changes as they happen and notices when the object is deleted.
import { LiveType, WatchEventType } from '@binnacle/contract';
import type { KubeObject } from '@binnacle/resources';
import { onScopeDispose, ref, shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue';
import { ApiError } from '../api/errors';
import { getResourceApi, type ObjectRef } from '../api/resources';
import { useRuntime } from '../app/runtime';

export function useResourceObject(target: MaybeRefOrGetter<ObjectRef | undefined>) {
  const { http, live } = useRuntime();
  const object = shallowRef<KubeObject>();
  const loading = ref(false);
  const error = shallowRef<unknown>();
  const gone = ref(false);
  let stop: (() => void) | undefined;
  let sequence = 0;

  async function load(): Promise<void> {
    const ref = toValue(target);
    if (ref === undefined) return;
    const mine = ++sequence;
    loading.value = true;
    try {
      const found = await getResourceApi(http, ref);
      if (mine !== sequence) return;
      object.value = found;
      gone.value = false;
      error.value = undefined;
    } catch (err) {
      if (mine !== sequence) return;
      gone.value = err instanceof ApiError && err.status === 404;
      error.value = gone.value ? undefined : err;
    } finally {
      if (mine === sequence) loading.value = false;
    }
  }

  function follow(ref: ObjectRef): void {
    stop = live.subscribe(
      {
        cluster: ref.cluster,
        resource: ref.resource,
        ...(ref.namespace ? { namespace: ref.namespace } : {}),
        fieldSelector: `metadata.name=${ref.name}`,
        mode: 'objects',
      },
      (message) => {
        if (message.type === LiveType.snapshot && message.items[0] !== undefined) {
          object.value = message.items[0];
        }
        if (message.type !== LiveType.events) return;
        for (const event of message.events) {
          gone.value = event.type === WatchEventType.deleted;
          if (!gone.value) object.value = event.object;
        }
      },
    );
  }

  watch(
    () => JSON.stringify(toValue(target) ?? null),
    () => {
      stop?.();
      stop = undefined;
      object.value = undefined;
      const ref = toValue(target);
      if (ref === undefined) return;
      void load();
      follow(ref);
    },
    { immediate: true },
  );

  onScopeDispose(() => stop?.());

  return { object, loading, error, gone, reload: load };
}
