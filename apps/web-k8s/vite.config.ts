import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // An absolute base: a qiankun host loads the assets from another page's origin path.
  base: '/k8s/',
  plugins: [vue()],
  server: { port: 5174 },
  test: { environment: 'happy-dom', include: ['src/**/*.test.ts'] },
});
