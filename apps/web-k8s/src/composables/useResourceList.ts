// One server-paged list: page, sort, search and label selector are sent to the gateway; a live
// `changes` subscription re-fetches the current page so rows update in place.
import { defaultPageSize, type ListQuery } from '@binnacle/contract';
import type { KubeObject } from '@binnacle/resources';
import { computed, ref, shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue';
import { listResourcesApi } from '../api/resources';
import { useRuntime } from '../app/runtime';
import { useLiveChanges } from './useLiveChanges';

export interface ListTarget {
  cluster: string;
  resource: string;
  /** '' or undefined: every namespace. */
  namespace?: string;
  fieldSelector?: string;
}

export function useResourceList(
  target: MaybeRefOrGetter<ListTarget | undefined>,
  options: { pageSize?: number; sort?: string; order?: 'asc' | 'desc' } = {},
) {
  const { http } = useRuntime();
  const items = shallowRef<KubeObject[]>([]);
  const total = ref(0);
  const loading = ref(false);
  const error = shallowRef<unknown>();
  const page = ref(1);
  const pageSize = ref(options.pageSize ?? defaultPageSize);
  const sort = ref<string | undefined>(options.sort);
  const order = ref<'asc' | 'desc' | undefined>(options.order);
  const search = ref('');
  const labelSelector = ref('');
  let sequence = 0;

  const scope = computed(() => {
    const current = toValue(target);
    if (current === undefined) return undefined;
    const { namespace, fieldSelector } = current;
    return {
      cluster: current.cluster,
      resource: current.resource,
      ...(namespace ? { namespace } : {}),
      ...(fieldSelector ? { fieldSelector } : {}),
      ...(labelSelector.value ? { labelSelector: labelSelector.value } : {}),
    };
  });

  /** `quiet`: a live refresh keeps the rows on screen instead of showing a spinner. */
  async function fetchPage(quiet = false): Promise<void> {
    const current = scope.value;
    if (current === undefined) return;
    const mine = ++sequence;
    if (!quiet) loading.value = true;
    const { cluster, resource, ...filters } = current;
    const query: ListQuery = {
      ...filters,
      page: page.value,
      pageSize: pageSize.value,
      ...(search.value ? { search: search.value } : {}),
      ...(sort.value ? { sort: sort.value, order: order.value ?? 'asc' } : {}),
    };
    try {
      const answer = await listResourcesApi(http, { cluster, resource }, query);
      if (mine !== sequence) return;
      items.value = answer.items;
      total.value = answer.total;
      error.value = undefined;
    } catch (err) {
      if (mine === sequence) error.value = err;
    } finally {
      if (mine === sequence) loading.value = false;
    }
  }

  // A new scope or filter starts at the first page.
  watch([() => JSON.stringify(scope.value ?? null), search], () => {
    if (page.value !== 1) page.value = 1;
    else void fetchPage();
  });
  watch([page, pageSize, sort, order], () => void fetchPage());
  void fetchPage();

  useLiveChanges(scope, () => void fetchPage(true));

  return {
    items,
    total,
    loading,
    error,
    page,
    pageSize,
    sort,
    order,
    search,
    labelSelector,
    reload: () => fetchPage(),
  };
}
