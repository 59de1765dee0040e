// The routes of one mount. Resource routes are generic: `:resource` is a registry key, so a new
// kind needs no route of its own.
import { findKind, registry, resourceKey } from '@binnacle/resources';
import { createRouter, createWebHistory, type RouteRecordRaw, type Router } from 'vue-router';
import type { LocalSession } from './session/local-session';

export const RouteName = {
  login: 'login',
  home: 'home',
  clusters: 'clusters',
  list: 'resource-list',
  detail: 'resource-detail',
  notFound: 'not-found',
} as const;

/** The namespace segment of a cluster-scoped object's detail URL. */
export const noNamespace = '-';

/** The kind a cluster opens on: pods, the page people look at first. */
export function defaultResource(): string {
  const entry = findKind('Pod', '') ?? registry[0];
  return entry === undefined ? '' : resourceKey(entry);
}

const pages: RouteRecordRaw[] = [
  { path: '', name: RouteName.home, component: () => import('./pages/HomePage.vue') },
  {
    path: 'clusters',
    name: RouteName.clusters,
    component: () => import('./pages/ClustersPage.vue'),
  },
  {
    path: 'c/:cluster/:resource',
    name: RouteName.list,
    component: () => import('./pages/ResourceListPage.vue'),
  },
  {
    path: 'c/:cluster/:resource/:namespace/:name',
    name: RouteName.detail,
    component: () => import('./pages/ResourceDetailPage.vue'),
  },
  {
    path: ':rest(.*)*',
    name: RouteName.notFound,
    component: () => import('./pages/NotFoundPage.vue'),
  },
];

export function createK8sRouter(options: { base: string; session: LocalSession | undefined }) {
  const { session } = options;
  const routes: RouteRecordRaw[] = [
    { path: '/', component: () => import('./components/layout/AppLayout.vue'), children: pages },
  ];
  // Embedded, the host signs people in: there is no sign-in page to reach.
  if (session !== undefined) {
    routes.unshift({
      path: '/login',
      name: RouteName.login,
      component: () => import('./pages/LoginPage.vue'),
    });
  }
  const router = createRouter({ history: createWebHistory(options.base), routes });
  if (session !== undefined) guardStandalone(router, session);
  return router;
}

function guardStandalone(router: Router, session: LocalSession): void {
  let resumed: Promise<boolean> | undefined;
  router.beforeEach(async (to) => {
    // The first navigation tries the refresh cookie, so a reload does not ask to sign in again.
    resumed ??= session.resume();
    await resumed;
    const signedIn = session.user.value !== undefined;
    if (to.name === RouteName.login) {
      return signedIn ? redirectTarget(to.query.redirect) : true;
    }
    if (!signedIn) return { name: RouteName.login, query: { redirect: to.fullPath } };
    return true;
  });
  session.onEnded(() => {
    const current = router.currentRoute.value;
    if (current.name === RouteName.login) return;
    void router.push({ name: RouteName.login, query: { redirect: current.fullPath } });
  });
}

/** Only paths inside the app: a `redirect` query must not send anyone elsewhere. */
export function redirectTarget(redirect: unknown): string {
  return typeof redirect === 'string' && redirect.startsWith('/') && !redirect.startsWith('//')
    ? redirect
    : '/';
}
