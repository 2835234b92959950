import { defineConfig } from 'vite';

/** Builds the renderer (hosts/browser) into dist/renderer, which the Node host serves. */
export default defineConfig({
  root: 'hosts/browser',
  base: './',
  build: { outDir: '../../dist/renderer', emptyOutDir: true, target: 'es2023', sourcemap: true },
});
