import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  base: '/',
  plugins: [vue()],
  define: {
    // The portal uses vue-i18n's Composition API only; leave the legacy one out of the bundle.
    __VUE_I18N_LEGACY_API__: false,
    __VUE_I18N_FULL_INSTALL__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  server: {
    port: 5173,
    // `vite dev`: the gateway (make start) serves the API and the built sub-app.
    proxy: {
      '/k8s-api': { target: 'http://127.0.0.1:8080', ws: true },
      '/k8s': { target: 'http://127.0.0.1:8080' },
    },
  },
  test: { environment: 'happy-dom', include: ['src/**/*.test.ts'] },
});
