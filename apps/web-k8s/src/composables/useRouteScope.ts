// The place a page is about, read from the route: cluster, registry entry, namespace filter.
import { findResource, type ResourceEntry } from '@binnacle/resources';
import { computed } from 'vue';
import { useRoute } from 'vue-router';
import { noNamespace } from '../router';

function single(value: unknown): string {
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : '';
  return typeof value === 'string' ? value : '';
}

export function useRouteScope() {
  const route = useRoute();
  const cluster = computed(() => single(route.params.cluster));
  const resource = computed(() => single(route.params.resource));
  const entry = computed<ResourceEntry | undefined>(() => findResource(resource.value));
  /** The `?namespace=` filter of a list; '' is every namespace. */
  const namespaceFilter = computed(() => single(route.query.namespace));
  /** The namespace of a detail page's object; undefined for cluster-scoped objects. */
  const objectNamespace = computed(() => {
    const value = single(route.params.namespace);
    return value === '' || value === noNamespace ? undefined : value;
  });
  const name = computed(() => single(route.params.name));
  return { route, cluster, resource, entry, namespaceFilter, objectNamespace, name };
}
