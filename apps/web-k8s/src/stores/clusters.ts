// The clusters the gateway knows, and the one last opened (remembered for the home page).
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { listClustersApi, type Cluster } from '../api/clusters';
import { useRuntime } from '../app/runtime';
import { readSetting, writeSetting } from '../utils/storage';

export const useClustersStore = defineStore('clusters', () => {
  const { http } = useRuntime();
  const items = shallowRef<Cluster[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const error = shallowRef<unknown>();
  let pending: Promise<void> | undefined;

  function load(): Promise<void> {
    pending ??= (async () => {
      loading.value = true;
      try {
        items.value = (await listClustersApi(http)).items;
        error.value = undefined;
        loaded.value = true;
      } catch (err) {
        error.value = err;
      } finally {
        loading.value = false;
        pending = undefined;
      }
    })();
    return pending;
  }

  function ensure(): Promise<void> {
    return loaded.value ? Promise.resolve() : load();
  }

  const lastCluster = ref(readSetting('cluster'));

  function remember(id: string): void {
    if (lastCluster.value === id) return;
    lastCluster.value = id;
    writeSetting('cluster', id);
  }

  /** The cluster to open by default: the last one if it still exists, else the first. */
  function preferred(): Cluster | undefined {
    return items.value.find((c) => c.id === lastCluster.value) ?? items.value[0];
  }

  return { items, loaded, loading, error, load, ensure, remember, preferred, lastCluster };
});
