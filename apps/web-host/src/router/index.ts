// The portal's routes. Everything but /login needs a session; /k8s/** belongs to the sub-app, which
// qiankun mounts into the layout's container while the URL is under /k8s.
import { createRouter, createWebHistory, type Router } from 'vue-router';
import { subAppBasePath } from '../micro/props';
import { useAuthStore } from '../stores/auth';
import './meta';

export function createPortalRouter(): Router {
  const router = createRouter({
    history: createWebHistory('/'),
    routes: [
      {
        path: '/login',
        name: 'login',
        component: () => import('../pages/LoginPage.vue'),
        meta: { public: true },
      },
      {
        path: '/',
        component: () => import('../layouts/PortalLayout.vue'),
        children: [
          { path: '', name: 'home', component: () => import('../pages/HomePage.vue') },
          {
            // The sub-app owns everything below: the layout shows its container, this view its state.
            path: `${subAppBasePath.slice(1)}/:rest(.*)*`,
            name: 'k8s',
            component: () => import('../pages/SubAppStatus.vue'),
            meta: { subApp: true },
          },
        ],
      },
      { path: '/:unknown(.*)*', redirect: '/' },
    ],
  });

  router.beforeEach((to) => {
    keepHistoryStateHonest();
    const auth = useAuthStore();
    if (to.meta.public === true) {
      // Someone signed in has no business on the sign-in page.
      return auth.signedIn ? safeRedirect(to.query.redirect) : true;
    }
    if (!auth.signedIn) return { name: 'login', query: { redirect: to.fullPath } };
    return true;
  });
  return router;
}

/** Only paths of this portal, never another origin (`//evil.example`). */
export function safeRedirect(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//')
    ? value
    : '/';
}

/**
 * The sub-app's own vue-router writes history.state with paths relative to its base (/k8s).
 * vue-router replaces the current entry with `state.current` before each push, so the host would
 * rewrite /k8s/c/x/pods as /c/x/pods. Put the real path back before the host navigates.
 */
function keepHistoryStateHonest(): void {
  const state: unknown = window.history.state;
  if (typeof state !== 'object' || state === null || !('current' in state)) return;
  const actual = `${location.pathname}${location.search}${location.hash}`;
  if (state.current !== actual) {
    window.history.replaceState({ ...state, current: actual }, '');
  }
}
