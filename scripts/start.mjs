// `npm start`: build the web apps when their sources changed since the last build, then run the
// server (API + web apps) in this same process, so SIGTERM reaches it directly.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'apps/web');
const builtIndex = path.join(web, 'dist/index.html');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

// The web imports the API's types and vocabulary from packages/contracts: a change there counts too.
const newestSource = Math.max(newestMtime(web), newestMtime(path.join(root, 'packages/contracts')));
if (!existsSync(builtIndex) || newestSource > statSync(builtIndex).mtimeMs) {
  console.error('[doorstep] building the web apps…');
  const build = spawnSync('npm', ['run', 'build', '--workspace', 'apps/web'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) {
    console.error('[doorstep] the web build failed');
    process.exit(build.status ?? 1);
  }
}

// `npm start` is the whole product with its demo district, even where NODE_ENV=production (which
// otherwise loads no demo): DOORSTEP_SEED=none still turns it off.
process.env.DOORSTEP_SEED ??= 'demo';
await import('../apps/server/bin/server.mjs');
