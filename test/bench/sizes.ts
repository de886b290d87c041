import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(import.meta.dirname, '../..');
const BUILD = join(ROOT, '.output/chrome-mv3');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** Gzip size of every script and page of the Chrome build, and of the zip `wxt zip` makes. */
export async function bundleSizes() {
  const list = files(BUILD)
    .filter((path) => /\.(js|html|css)$/.test(path))
    .map((path) => {
      const data = readFileSync(path);
      return { path: relative(BUILD, path).replace(/-[A-Za-z0-9_-]{8}\.(js|css)$/, '.$1'), bytes: data.length, gzip: gzipSync(data, { level: 9 }).length };
    })
    .sort((a, b) => b.gzip - a.gzip);
  return { files: list, zipBytes: chromeZipBytes() };
}

/**
 * The Chrome store zip's size. `npm test` has just made it with `npm run zip`; made again only when it is
 * missing or older than the build, and then outside the test runner's environment (NODE_ENV=test would
 * change the bundle, and rebuild the extension the other suites are using).
 */
function chromeZipBytes(): number {
  const find = () => readdirSync(join(ROOT, '.output')).find((name) => name.endsWith('-chrome.zip'));
  let zipFile = find();
  if (!zipFile || statSync(join(ROOT, '.output', zipFile)).mtimeMs < statSync(join(BUILD, 'manifest.json')).mtimeMs) {
    if (spawnSync('npx', ['wxt', 'zip'], { cwd: ROOT, encoding: 'utf8', env: buildEnvironment() }).status !== 0) return -1;
    zipFile = find();
  }
  return zipFile ? statSync(join(ROOT, '.output', zipFile)).size : -1;
}

/**
 * The environment a person's shell would give a build: without the test runner's NODE_ENV and VITEST
 * variables, which change the bundle (and so its size, and the sources zip's byte-for-byte rebuild).
 */
export function buildEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(NODE_ENV|VITEST.*|TEST)$/.test(key)));
}
