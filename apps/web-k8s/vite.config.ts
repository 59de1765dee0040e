import vue from '@vitejs/plugin-vue';
import qiankun from 'vite-plugin-qiankun';
import { defineConfig } from 'vitest/config';

// The gateway during development; nginx does this routing in production.
const gateway = process.env.BINNACLE_GATEWAY_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  // Absolute: a qiankun host fetches this app's index.html and imports its modules from /k8s/.
  base: '/k8s/',
  plugins: [vue(), qiankun('k8s', { useDevMode: true })],
  // One stylesheet linked from index.html: qiankun inlines it into the sub-app's container and
  // removes it on unmount, where lazily loaded CSS would land in the host's <head> and stay.
  build: { cssCodeSplit: false },
  server: {
    port: 5174,
    proxy: { '/k8s-api': { target: gateway, ws: true, changeOrigin: false } },
  },
  // Mounting the whole app in happy-dom is slow on a busy machine the first time.
  test: { environment: 'happy-dom', include: ['src/**/*.test.ts'], testTimeout: 20_000 },
});
