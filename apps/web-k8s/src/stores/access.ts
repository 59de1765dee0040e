// What the person may do per (cluster, namespace), asked once per place for every registry kind.
// Until the answer arrives, actions stay hidden.
import { registry, rbacResource, type ResourceEntry } from '@binnacle/resources';
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { accessApi } from '../api/access';
import { useRuntime } from '../app/runtime';

/** The UI's actions, mapped to the gateway's RBAC verbs. */
export type Action = 'delete' | 'scale' | 'log' | 'exec';

const actionVerbs: Record<Action, readonly string[]> = {
  delete: ['delete'],
  // The gateway's scale route asks for `update` on the workload.
  scale: ['update'],
  log: ['log'],
  exec: ['exec'],
};

const resources = registry.map((entry) => rbacResource(entry));

export const useAccessStore = defineStore('access', () => {
  const { http } = useRuntime();
  const answers = ref<Record<string, Record<string, string[]>>>({});
  const asked = new Set<string>();

  const placeKey = (cluster: string, namespace: string) => `${cluster}\u0000${namespace}`;

  async function load(cluster: string, namespace: string): Promise<void> {
    const key = placeKey(cluster, namespace);
    if (asked.has(key)) return;
    asked.add(key);
    try {
      const answer = await accessApi(http, { cluster, namespace, resources });
      answers.value = { ...answers.value, [key]: answer.can };
    } catch {
      // Asked again on the next visit; meanwhile the actions stay hidden.
      asked.delete(key);
    }
  }

  /** Whether the action is allowed on the kind in this place ('*' = every namespace). */
  function allows(
    place: { cluster: string; namespace: string },
    entry: ResourceEntry,
    action: Action,
  ) {
    if (!entry.verbs.includes(action)) return false;
    const can = answers.value[placeKey(place.cluster, place.namespace)]?.[rbacResource(entry)];
    return (
      can !== undefined &&
      actionVerbs[action].some((verb) => can.includes(verb) || can.includes('*'))
    );
  }

  return { load, allows };
});
