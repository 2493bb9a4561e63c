import { readFileSync } from 'node:fs';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * Security headers for any server that can send them (capability 10). The Content-Security-Policy is index.html's
 * own `<meta>` policy (one source: it also holds under a server that sends no headers, a USB stick's), plus what
 * only a header can say: `frame-ancestors 'none'` (no other site may frame the workbench). `vite preview` sends
 * them (npm start), and the build writes them to `dist/_headers` for static hosts that read that file;
 * test/e2e/security.spec.ts checks both.
 */
const metaCsp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(readFileSync(new URL('./index.html', import.meta.url), 'utf8'))?.[1];
if (!metaCsp) throw new Error('index.html has no Content-Security-Policy <meta>');
export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': `${metaCsp}; frame-ancestors 'none'`,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), payment=()',
};

/** Writes the headers as `dist/_headers` (Netlify/Cloudflare Pages syntax: a path, then indented headers). */
function headersFile(): Plugin {
  return {
    name: 'slp-headers-file',
    apply: 'build',
    generateBundle() {
      const lines = ['/*', ...Object.entries(SECURITY_HEADERS).map(([k, v]) => `  ${k}: ${v}`), ''];
      this.emitFile({ type: 'asset', fileName: '_headers', source: lines.join('\n') });
    },
  };
}

/**
 * The dev server injects component CSS as <style> elements, which the production CSP (style-src 'self')
 * forbids; relax it for `vite` (dev) only. The built app keeps index.html's policy untouched.
 */
function devCsp(): Plugin {
  return {
    name: 'slp-dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").replace("connect-src 'self'", "connect-src 'self' ws: wss:"),
  };
}

export default defineConfig({
  base: './',
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  plugins: [
    svelte(),
    devCsp(),
    headersFile(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: null,
      includeAssets: ['icon.svg'],
      manifest: {
        name: 'SLP Offline Workbench',
        short_name: 'SLP Workbench',
        description: 'Offline workbench for Cisco Smart Licensing Using Policy in networks that cannot reach Cisco.',
        start_url: './',
        scope: './',
        display: 'standalone',
        background_color: '#f4f6f8',
        theme_color: '#0b4f6c',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        // Everything the app needs, precached: after one load it runs with the network cable pulled.
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest,json}'],
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
        // The first install takes control at once, so the very first visit already works offline; updates
        // still wait for the user (no skipWaiting: registerType 'prompt').
        clientsClaim: true,
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
      },
    }),
  ],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true, headers: SECURITY_HEADERS },
});
