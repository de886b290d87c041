import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEnvironment } from '../bench/sizes';
import { EXPECTED_HOST_PERMISSIONS } from '../fixtures/permissions';
import { launchWithExtension } from '../../lib/scan/chromium';
import { CATALOG_GLOBAL, ZOD_GLOBAL } from '../../lib/background/worker-scripts';

const ROOT = resolve(import.meta.dirname, '../..');
const OUTPUT = join(ROOT, '.output');
const { name, version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

/** A store package as the store sees it: its files by path. `npm test` makes them with `npm run zip`. */
function openZip(kind: 'chrome' | 'firefox' | 'sources'): Record<string, Uint8Array> {
  const file = join(OUTPUT, `${name}-${version}-${kind}.zip`);
  // Directory entries carry no content; keep the files.
  return Object.fromEntries(Object.entries(unzipSync(readFileSync(file))).filter(([path]) => !path.endsWith('/')));
}
const manifestOf = (zip: Record<string, Uint8Array>) => JSON.parse(new TextDecoder().decode(zip['manifest.json'])) as Record<string, any>;

/** Every file a manifest points at (scripts, pages, icons, locales), which must all be in the package. */
function referencedFiles(manifest: Record<string, any>): string[] {
  return [
    ...Object.values<string>(manifest.icons ?? {}),
    manifest.action?.default_popup,
    manifest.options_ui?.page,
    manifest.devtools_page,
    manifest.background?.service_worker,
    ...(manifest.background?.scripts ?? []),
    ...(manifest.content_scripts ?? []).flatMap((c: { js?: string[] }) => c.js ?? []),
    `_locales/${manifest.default_locale}/messages.json`,
  ].filter((f): f is string => typeof f === 'string');
}

/** What must never ship: test certificates and keys, fixtures, source maps, the tests themselves. */
const FORBIDDEN = /(^|\/)(test|tests|fixtures|node_modules|\.output|test-results)\/|\.(pem|key|crt|map|log)$/;

// The same rules in both browsers: the least permissions, a strict CSP, nothing reachable from pages.
function expectLeastPermissions(manifest: Record<string, any>) {
  expect(manifest.manifest_version).toBe(3);
  expect(manifest.version).toBe(version);
  expect([...manifest.permissions].sort()).toEqual(['alarms', 'cookies', 'storage', 'webRequest']);
  // Firefox would warn every customer about developer tools for the DevTools panel: optional there (wxt.config.ts).
  expect(manifest.optional_permissions).toEqual(manifest.browser_specific_settings ? ['notifications', 'devtools'] : ['notifications']);
  expect(manifest.devtools_page).toBe('devtools.html');
  expect(manifest.host_permissions).toEqual(EXPECTED_HOST_PERMISSIONS);
  expect(manifest.content_scripts).toEqual([
    // The page's own world, only to read its consent banner's JavaScript API.
    { matches: ['*://*.mijnliefsteboek.nl/*'], run_at: 'document_start', js: ['content-scripts/consent-reader.js'], world: 'MAIN' },
    { matches: ['*://*.mijnliefsteboek.nl/*'], run_at: 'document_start', js: ['content-scripts/shop.js'] },
  ]);
  expect(manifest.options_ui).toEqual({ open_in_tab: true, page: 'options.html' });
  // No page may frame the extension's pages but DevTools, which shows the panel in a frame.
  expect(manifest.content_security_policy).toEqual({ extension_pages: "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors devtools://devtools" });
  expect(manifest.externally_connectable).toBeUndefined();
  expect(manifest.web_accessible_resources).toBeUndefined();
  expect(manifest.default_locale).toBe('nl');
}

/**
 * The packaged locale files hold every string of the sources in public/_locales, as the source has it,
 * on one line and without the translators' descriptions (wxt.config.ts, packagedLocale).
 */
function expectPackagedLocales(zip: Record<string, Uint8Array>) {
  for (const language of ['nl', 'en']) {
    const packaged = new TextDecoder().decode(zip[`_locales/${language}/messages.json`]);
    const source = JSON.parse(readFileSync(join(ROOT, `public/_locales/${language}/messages.json`), 'utf8')) as Record<string, { description?: string }>;
    expect(packaged, language).not.toContain('\n');
    expect(packaged, language).not.toContain('"description"');
    const withoutDescriptions = Object.fromEntries(Object.entries(source).map(([key, { description: _, ...entry }]) => [key, entry]));
    expect(JSON.parse(packaged), language).toEqual(withoutDescriptions);
    expect(Object.values(source).some((entry) => entry.description !== undefined), `${language}: the source has descriptions to leave out`).toBe(true);
  }
}

describe('the store packages (npm run zip)', () => {
  it('Chrome Web Store: a Manifest V3 service worker with the least permissions, every referenced file, nothing else', () => {
    const zip = openZip('chrome');
    const manifest = manifestOf(zip);
    expectLeastPermissions(manifest);
    expect(manifest.background).toEqual({ service_worker: 'background.js' });
    expect(manifest.browser_specific_settings).toBeUndefined();
    for (const file of referencedFiles(manifest)) expect(zip[file], file).toBeDefined();
    expect(Object.keys(zip).filter((f) => FORBIDDEN.test(f))).toEqual([]);
    expect(Object.keys(zip).filter((f) => f.startsWith('_locales/')).sort()).toEqual(['_locales/en/messages.json', '_locales/nl/messages.json']);
    expectPackagedLocales(zip);
  });

  // The store zips are deflated again by Zopfli (lib/package/store-zip.ts): what the store unpacks must
  // be the build byte for byte, and Chromium must install and start it.
  it('Chrome Web Store: the zip unpacks to the built extension byte for byte, which Chromium installs and starts', async () => {
    const zip = openZip('chrome');
    const builtDir = join(OUTPUT, 'chrome-mv3');
    const built = listFiles(builtDir).map((file) => relative(builtDir, file)).filter((file) => !file.endsWith('.map'));
    expect(Object.keys(zip).sort()).toEqual(built.sort());
    for (const path of built) expect(Buffer.compare(Buffer.from(zip[path]!), readFileSync(join(builtDir, path))), path).toBe(0);
    const unpacked = mkdtempSync(join(tmpdir(), 'privacy-lens-store-zip-'));
    for (const [path, data] of Object.entries(zip)) {
      mkdirSync(dirname(join(unpacked, path)), { recursive: true });
      writeFileSync(join(unpacked, path), data);
    }
    const ext = await launchWithExtension({ extensionPath: unpacked });
    try {
      // The worker is ready only when background.js and the scripts it imports at start (catalog.js, zod.js) have run.
      const worker = await ext.worker();
      const read = (globals: string[]) => [chrome.runtime.getManifest().version, ...globals.map((name) => typeof (globalThis as Record<string, unknown>)[name])];
      expect(await worker.evaluate(read, [CATALOG_GLOBAL, ZOD_GLOBAL])).toEqual([version, 'object', 'object']);
    } finally {
      await ext.close();
      rmSync(unpacked, { recursive: true, force: true });
    }
  }, 60_000);

  it('Firefox add-on: a stable gecko id, no data collected, an event page, the same permissions', () => {
    const zip = openZip('firefox');
    const manifest = manifestOf(zip);
    expectLeastPermissions(manifest);
    expect(manifest.browser_specific_settings.gecko).toEqual({
      id: 'privacy-lens@mijnliefsteboek.example',
      strict_min_version: '140.0',
      data_collection_permissions: { required: ['none'] },
    });
    // Firefox runs Manifest V3 backgrounds as event pages, not service workers.
    expect(manifest.background).toEqual({ scripts: ['background.js'] });
    expectPackagedLocales(zip);
    for (const file of referencedFiles(manifest)) expect(zip[file], file).toBeDefined();
    expect(Object.keys(zip).filter((f) => FORBIDDEN.test(f))).toEqual([]);
  });

  describe('the sources zip for Firefox review', () => {
    let sources: Record<string, Uint8Array>;
    let unpacked: string;
    beforeAll(() => {
      sources = openZip('sources');
      unpacked = mkdtempSync(join(tmpdir(), 'privacy-lens-sources-'));
    });
    afterAll(() => rmSync(unpacked, { recursive: true, force: true }));

    it('holds what builds the add-on and its instructions, and no tests, fixtures, certificates or outputs', () => {
      const files = Object.keys(sources);
      for (const needed of ['package.json', 'package-lock.json', 'wxt.config.ts', 'tsconfig.json', 'README.md', 'entrypoints/popup/main.tsx', 'lib/catalog/shop.json', 'public/_locales/nl/messages.json']) {
        expect(files, needed).toContain(needed);
      }
      expect(files.filter((f) => FORBIDDEN.test(f) || f.startsWith('.') || f.startsWith('lib/scan/'))).toEqual([]);
      expect(new TextDecoder().decode(sources['README.md'])).toContain('npm run build:firefox');
    });

    it('builds, from itself alone, exactly the add-on in the Firefox zip', () => {
      for (const [path, data] of Object.entries(sources)) {
        if (path.endsWith('/')) continue;
        mkdirSync(dirname(join(unpacked, path)), { recursive: true });
        writeFileSync(join(unpacked, path), data);
      }
      // The reviewer runs `npm ci`; the packages are the locked ones already installed here.
      symlinkSync(join(ROOT, 'node_modules'), join(unpacked, 'node_modules'), 'dir');
      // As a reviewer's shell would run it.
      const build = spawnSync('npx', ['wxt', 'build', '-b', 'firefox'], { cwd: unpacked, encoding: 'utf8', env: buildEnvironment() });
      expect(build.status, build.stderr).toBe(0);
      const builtDir = join(unpacked, '.output', 'firefox-mv3');
      const built = Object.fromEntries(listFiles(builtDir).map((file) => [relative(builtDir, file), readFileSync(file)]));
      const shipped = openZip('firefox');
      expect(Object.keys(built).sort()).toEqual(Object.keys(shipped).sort());
      for (const [path, data] of Object.entries(built)) expect(Buffer.compare(data, Buffer.from(shipped[path]!)), path).toBe(0);
    });
  });
});

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)]));
}
