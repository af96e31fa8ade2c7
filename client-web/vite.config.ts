import { defineConfig } from 'vitest/config';

// Keep the browser's Host header: the server answers cookie requests (refresh, logout) only when
// Origin and Host agree, and Vite's string shorthand would rewrite Host to the target.
const api = { target: 'http://localhost:8080', changeOrigin: false };

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
    proxy: { '/api': api, '/health': api, '/.well-known': api },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
