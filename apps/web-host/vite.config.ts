import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // An absolute base: a qiankun host loads the assets from another page's origin path.
  base: '/',
  plugins: [vue()],
  server: { port: 5173 },
  test: { environment: 'happy-dom', include: ['src/**/*.test.ts'] },
});
