// Where an object's detail page is; cluster-scoped objects use `-` as their namespace.
import { resourceKey, type KubeObject, type ResourceEntry } from '@binnacle/resources';
import type { RouteLocationRaw } from 'vue-router';
import { noNamespace, RouteName } from '../../router';

export function detailRoute(
  cluster: string,
  entry: ResourceEntry,
  object: KubeObject,
): RouteLocationRaw {
  return {
    name: RouteName.detail,
    params: {
      cluster,
      resource: resourceKey(entry),
      namespace: object.metadata.namespace ?? noNamespace,
      name: object.metadata.name,
    },
  };
}
