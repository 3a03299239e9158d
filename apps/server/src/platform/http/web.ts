import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Which single-page app owns a path: the console, the screen and the workbench (/m) have their own index.html. */
const APPS: { prefix: string; index: string }[] = [
  { prefix: '/console', index: 'console/index.html' },
  { prefix: '/screen', index: 'screen/index.html' },
  { prefix: '/m', index: 'm/index.html' },
  { prefix: '/', index: 'index.html' },
];

/**
 * Serves the built web apps (apps/web/dist). Hashed assets are cached for a year; HTML never, so a
 * new release shows at once. Unknown paths of an app fall back to its index.html (client routing).
 */
export async function registerWeb(app: FastifyInstance, webRoot: string | null) {
  if (!webRoot || !existsSync(path.join(webRoot, 'index.html'))) return null;
  await app.register(fastifyStatic, {
    root: webRoot,
    prefix: '/',
    wildcard: true,
    index: ['index.html'],
    setHeaders(res, filePath) {
      if (filePath.endsWith('.html')) res.header('cache-control', 'no-cache');
      else if (filePath.includes(`${path.sep}assets${path.sep}`)) {
        res.header('cache-control', 'public, max-age=31536000, immutable');
      }
    },
  });
  return (request: FastifyRequest, reply: FastifyReply): boolean => {
    const url = request.url.split('?')[0] ?? '/';
    if (request.method !== 'GET' || url.startsWith('/api/') || /\.[a-z0-9]+$/i.test(url)) return false;
    const owner = APPS.find(
      (entry) => url === entry.prefix || url.startsWith(`${entry.prefix}/`) || entry.prefix === '/',
    );
    reply.header('cache-control', 'no-cache');
    void reply.sendFile(owner!.index);
    return true;
  };
}
