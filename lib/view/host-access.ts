import { signal, type Signal } from '@preact/signals';
import type { browser as Browser } from 'wxt/browser';

type WebExtension = typeof Browser;

/**
 * Whether the browser lets the extension see the shop and the trackers. Firefox (Manifest V3) lets a
 * user withhold host access at install or take it back later, and Chromium lets them limit it to
 * "on click"; either way the extension would silently see nothing, so the popup asks for it instead.
 */
export type HostAccess = 'checking' | 'granted' | 'missing';

/** The host patterns the built manifest declares: the one list to ask for (generated from the catalog). */
export function declaredHostPatterns(browser: WebExtension): string[] {
  return browser.runtime.getManifest().host_permissions ?? [];
}

export function watchHostAccess(browser: WebExtension): { access: Signal<HostAccess>; dispose(): void } {
  const access = signal<HostAccess>('checking');
  const origins = declaredHostPatterns(browser);
  const check = () =>
    browser.permissions.contains({ origins }).then(
      (granted) => (access.value = granted ? 'granted' : 'missing'),
      // A browser that cannot answer is not a reason to alarm the user.
      () => (access.value = 'granted'),
    );
  void check();
  const onChange = () => void check();
  browser.permissions.onAdded.addListener(onChange);
  browser.permissions.onRemoved.addListener(onChange);
  return {
    access,
    dispose() {
      browser.permissions.onAdded.removeListener(onChange);
      browser.permissions.onRemoved.removeListener(onChange);
    },
  };
}

/**
 * Asks for the declared host access. Must run straight from the click: Firefox only shows the
 * prompt while the user's gesture is still current, so nothing may be awaited before it.
 */
export function requestHostAccess(browser: WebExtension): Promise<boolean> {
  return browser.permissions.request({ origins: declaredHostPatterns(browser) }).catch(() => false);
}
