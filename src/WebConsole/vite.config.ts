import { defineConfig, loadEnv } from 'vite';
import react from '@vitejs/plugin-react';

// The console is served by the ApiHost at "/"; the API stays at "/api". `npm run dev` proxies /api to a running
// ApiHost (OWL_API, default http://127.0.0.1:8000) for working on the pages.
export default defineConfig(({ mode }) => ({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: false,
  },
  server: {
    proxy: { '/api': loadEnv(mode, '.', 'OWL_').OWL_API ?? 'http://127.0.0.1:8000' },
  },
}));
