// The portal: resume the session, then route, then let qiankun mount web-k8s under /k8s.
import { createPinia } from 'pinia';
import { addErrorHandler } from 'qiankun';
import { createApp, watch } from 'vue';
import App from './App.vue';
import { createPortalI18n } from './i18n';
import { subAppName } from './micro/props';
import { startMicroApps } from './micro/register';
import { createPortalRouter } from './router';
import { useAuthStore } from './stores/auth';
import { usePrefsStore } from './stores/prefs';
import { useSubAppStore } from './stores/subapp';

async function main(): Promise<void> {
  const app = createApp(App);
  const pinia = createPinia();
  app.use(pinia);
  const prefs = usePrefsStore();
  const auth = useAuthStore();
  const subApp = useSubAppStore();
  app.use(createPortalI18n(prefs.locale));

  // Before the first route: the guard needs to know whether a session exists.
  await auth.resume();

  const router = createPortalRouter();
  app.use(router);

  // However a session ends (sign-out, a refused refresh, the sub-app's 401), show the sign-in page.
  watch(
    () => auth.status,
    (status) => {
      const current = router.currentRoute.value;
      if (status === 'signed-out' && current.meta.public !== true) {
        void router.replace({ name: 'login', query: { redirect: current.fullPath } });
      }
    },
  );

  await router.isReady();
  app.mount('#app');

  // single-spa hands the sub-app's load, bootstrap and mount failures here instead of throwing.
  addErrorHandler((error) => {
    console.error(error);
    if (error.appOrParcelName === subAppName) subApp.fail(error.message);
  });
  // After the first render, so the container exists when qiankun mounts on a direct /k8s visit.
  startMicroApps({
    state: () => ({ theme: prefs.theme, locale: prefs.locale }),
    getToken: () => auth.getToken(),
    signOut: () => void auth.logout().catch(() => undefined),
    onLoading: (loading) => {
      subApp.setLoading(loading);
    },
  });
}

void main();
