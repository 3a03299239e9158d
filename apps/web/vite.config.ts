import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { type Connect, defineConfig, type Plugin } from 'vite';

const page = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Where `npm run dev -w apps/web` sends /api; the API server listens on 3000 by default.
const apiOrigin = process.env.DOORSTEP_API_ORIGIN ?? 'http://localhost:3000';

// Client-side routes of each app, mapped to the HTML page that owns them. The API server applies
// the same fallbacks to dist/ (see README.md); this plugin mirrors them in `vite` and `vite preview`.
const fallbacks: ReadonlyArray<[prefix: string, html: string]> = [
  ['/console/', '/console/index.html'],
  ['/screen/', '/screen/index.html'],
  ['/m/', '/m/index.html'],
  ['/q/', '/index.html'],
  // The resident app's own pages (history routing); /report → /report/ is harmless to its router.
  ['/report/', '/index.html'],
  ['/track/', '/index.html'],
  ['/nearby/', '/index.html'],
];

function pageFallback(): Plugin {
  const rewrite: Connect.NextHandleFunction = (req, res, next) => {
    const [path = '/', query] = (req.url ?? '/').split('?');
    const accept = req.headers.accept ?? '';
    const isFile = /\.[a-z0-9]+$/i.test(path);
    if ((req.method === 'GET' || req.method === 'HEAD') && accept.includes('text/html') && !isFile) {
      // /console → /console/: each app owns its folder, as the API server will serve it.
      if (fallbacks.some(([prefix]) => prefix === `${path}/`)) {
        res.writeHead(301, { Location: `${path}/${query === undefined ? '' : `?${query}`}` }).end();
        return;
      }
      const match = fallbacks.find(([prefix]) => path.startsWith(prefix));
      if (match) req.url = match[1];
    }
    next();
  };
  return {
    name: 'doorstep:page-fallback',
    configureServer: (server) => void server.middlewares.use(rewrite),
    configurePreviewServer: (server) => void server.middlewares.use(rewrite),
  };
}

/**
 * Vant's icon font is inlined as woff2 with a fallback copy on a CDN (at.alicdn.com). Every
 * browser we support reads the woff2; the fallback only draws a CSP violation in the console (font-src
 * 'self' data:) and cannot load on an isolated network anyway, so it is cut from the stylesheet.
 */
function vantIconsOffline(): Plugin {
  return {
    name: 'doorstep:vant-icons-offline',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]vant[\\/](es|lib)[\\/]icon[\\/]index\.css$/.test(id)) return;
      return code.replace(/,\s*url\(\/\/at\.alicdn\.com[^)]*\)\s*format\("woff"\)/g, '');
    },
  };
}

export default defineConfig({
  base: '/',
  appType: 'mpa',
  plugins: [vue(), pageFallback(), vantIconsOffline()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      input: {
        resident: page('./index.html'),
        console: page('./console/index.html'),
        screen: page('./screen/index.html'),
        m: page('./m/index.html'),
      },
      output: {
        // Readable names for what the pages share: the Vue runtime, and our own shared code. No
        // catch-all vendor group: it would make the resident page download the console's Element
        // Plus and the screen's ECharts.
        codeSplitting: {
          groups: [
            { name: 'vue', test: /[\\/]node_modules[\\/](vue|@vue)[\\/]/, priority: 2 },
            // entriesAware: one chunk per set of pages sharing the code. Without it every shared
            // module lands in one file that each page loads: the resident H5 downloaded the
            // console's Element Plus (229 KB gzipped) before showing its first screen.
            { name: 'shared', minShareCount: 2, priority: 1, entriesAware: true },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': { target: apiOrigin, changeOrigin: false } },
  },
});
