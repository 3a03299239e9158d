import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const web = path.join(root, 'apps/web');
const stampFile = path.join(web, 'dist/.source-hash');
// The web imports the API's types and vocabulary from here: a change there is a change of the web.
const contracts = path.join(root, 'packages/contracts');

/** A hash over the web app's sources and build configuration: the bundle is rebuilt when it changes. */
function sourceHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name === 'node_modules' || name === 'dist') continue;
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else hash.update(path.relative(root, file)).update(readFileSync(file));
    }
  };
  walk(web);
  walk(contracts);
  hash.update(readFileSync(path.join(root, 'package-lock.json')));
  return hash.digest('hex');
}

/**
 * Vitest globalSetup: build the web apps once, so every browser test serves the same bundle.
 * Skipped when the sources have not changed since the last build (the bundle records their hash);
 * `DOORSTEP_WEB_BUILD=skip` skips it outright for runs that contain no browser test.
 */
export default function buildWeb() {
  if (process.env.DOORSTEP_WEB_BUILD === 'skip') return;
  const hash = sourceHash();
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash) return;
  execFileSync('npm', ['run', 'build', '--workspace', 'apps/web'], { cwd: root, stdio: 'inherit' });
  writeFileSync(stampFile, hash);
}
