import { defineConfig } from 'vitest/config';

const server = 'http://localhost:8080';

export default defineConfig({
  // Preact's automatic JSX runtime, without a framework plugin.
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    // The server's CSP allows no inline script: Vite's preload polyfill would be one.
    modulePreload: { polyfill: false },
    // Emit every asset as a file; nothing is inlined into the HTML.
    assetsInlineLimit: 0,
  },
  server: {
    proxy: { '/api': server, '/health': server, '/.well-known': server },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
