// The site's build: web/ → web/dist, one build for every stage (it reads /config.json at run time).
// `npm run dev:web` serves it with hot reload against a running local mode (BATON_URL, default :3000).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { firstLoadBudget } from './build/budget.js';

const batonUrl = process.env.BATON_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  publicDir: 'public',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: false,
  },
  plugins: [firstLoadBudget()],
  server: {
    proxy: { '/api': batonUrl, '/config.json': batonUrl, '/_local': batonUrl },
  },
});
