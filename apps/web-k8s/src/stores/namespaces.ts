// The namespace names of each cluster, for the namespace selector.
import { maxPageSize } from '@binnacle/contract';
import { findKind, resourceKey } from '@binnacle/resources';
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { listResourcesApi } from '../api/resources';
import { useRuntime } from '../app/runtime';

const namespaceEntry = findKind('Namespace', '');

export const useNamespacesStore = defineStore('namespaces', () => {
  const { http } = useRuntime();
  const byCluster = ref<Record<string, string[]>>({});

  async function load(cluster: string): Promise<void> {
    if (namespaceEntry === undefined) return;
    try {
      const page = await listResourcesApi(
        http,
        { cluster, resource: resourceKey(namespaceEntry) },
        { pageSize: maxPageSize },
      );
      byCluster.value = { ...byCluster.value, [cluster]: page.items.map((o) => o.metadata.name) };
    } catch {
      // A person who may not list namespaces can still type one into the URL; the selector
      // then only offers "all namespaces".
      byCluster.value = { ...byCluster.value, [cluster]: [] };
    }
  }

  function names(cluster: string): string[] {
    return byCluster.value[cluster] ?? [];
  }

  return { load, names };
});
