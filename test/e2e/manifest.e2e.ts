import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHROME_BUILD } from '../../lib/scan/chromium';
import { EXPECTED_HOST_PERMISSIONS } from '../fixtures/permissions';

// The built manifest, not the config: what a store and a user's browser actually see.
describe('the built Chrome manifest', () => {
  it('asks for the least it needs: the shop and the catalog hosts, never <all_urls>', async () => {
    const manifest = JSON.parse(await readFile(join(CHROME_BUILD, 'manifest.json'), 'utf8'));
    expect(manifest.manifest_version).toBe(3);
    expect(manifest.permissions.sort()).toEqual(['alarms', 'cookies', 'storage', 'webRequest']);
    expect(manifest.optional_permissions).toEqual(['notifications']);
    expect(manifest.host_permissions).toEqual(EXPECTED_HOST_PERMISSIONS);
    expect(manifest.content_scripts).toEqual([
      // The page's own world, only to read its consent banner's JavaScript API.
      { matches: ['*://*.mijnliefsteboek.nl/*'], run_at: 'document_start', js: ['content-scripts/consent-reader.js'], world: 'MAIN' },
      { matches: ['*://*.mijnliefsteboek.nl/*'], run_at: 'document_start', js: ['content-scripts/shop.js'] },
    ]);
    expect(manifest.options_ui).toEqual({ open_in_tab: true, page: 'options.html' });
    expect(manifest.content_security_policy.extension_pages).toBe("script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
    expect(manifest.externally_connectable).toBeUndefined();
    expect(manifest.web_accessible_resources).toBeUndefined();
  });
});
