import { signal, type Signal } from '@preact/signals';
import type { browser as Browser } from 'wxt/browser';
import { isShopUrl } from '../catalog/shop-domains';
import { NO_STANCE, STANCE_KEY, parseStance, type Stance } from '../consent/stance';
import { LOG_HEALTH_KEY, LogHealth } from '../db/health';
import { parseTabState, tabStateKey, type TabState } from '../observe/tab-state';
import { RIGHTS_STANDING_KEY, parseRightsStanding, type RightsDigest } from '../requests/standing';

export type PopupTab =
  | { status: 'loading' }
  | { status: 'not-shop' }
  /** A shop tab the extension has not seen load (installed or restarted after it). */
  | { status: 'no-state'; url: string }
  | { status: 'ready'; state: TabState };

type WebExtension = typeof Browser;

/**
 * The popup's view of one tab, read straight from session storage (the Ghostery panel model) so
 * that it paints without a round trip to the service worker, and kept live through storage events.
 */
export function watchPopupTab(
  browser: WebExtension,
  requestedTabId: number | null,
): { tab: Signal<PopupTab>; stance: Signal<Stance>; health: Signal<LogHealth['state'] | null>; rights: Signal<RightsDigest[] | null>; dispose(): void } {
  const tab = signal<PopupTab>({ status: 'loading' });
  const health = signal<LogHealth['state'] | null>(null);
  const readHealth = (raw: unknown) => (health.value = LogHealth.safeParse(raw).data?.state ?? null);
  const stance = signal<Stance>(NO_STANCE);
  /** The customer's rights requests as the background's deadline check last wrote them. */
  const rights = signal<RightsDigest[] | null>(null);
  void browser.storage.local.get(STANCE_KEY).then((items) => (stance.value = parseStance(items[STANCE_KEY])), () => undefined);
  const area = browser.storage.session ?? browser.storage.local;
  let key: string | null = null;
  let url: string | undefined;

  function show(raw: unknown) {
    const state = parseTabState(raw);
    if (state) tab.value = { status: 'ready', state };
    else if (url && isShopUrl(url)) tab.value = { status: 'no-state', url };
    else tab.value = { status: 'not-shop' };
  }

  const onChanged = (changes: Record<string, { newValue?: unknown }>, areaName: string) => {
    if (areaName === 'local' && STANCE_KEY in changes) stance.value = parseStance(changes[STANCE_KEY]!.newValue);
    if (LOG_HEALTH_KEY in changes) readHealth(changes[LOG_HEALTH_KEY]!.newValue);
    if (RIGHTS_STANDING_KEY in changes) rights.value = parseRightsStanding(changes[RIGHTS_STANDING_KEY]!.newValue);
    if (key && areaName === (browser.storage.session ? 'session' : 'local') && key in changes) show(changes[key]!.newValue);
  };
  browser.storage.onChanged.addListener(onChanged);

  void (async () => {
    let tabId = requestedTabId;
    if (tabId === null) {
      const [active] = await browser.tabs.query({ active: true, currentWindow: true });
      tabId = active?.id ?? null;
      url = active?.url;
    } else {
      url = await browser.tabs.get(tabId).then((t) => t.url, () => undefined);
    }
    if (tabId === null) return show(undefined);
    key = tabStateKey(tabId);
    const items = await area.get([key, LOG_HEALTH_KEY, RIGHTS_STANDING_KEY]);
    readHealth(items[LOG_HEALTH_KEY]);
    rights.value = parseRightsStanding(items[RIGHTS_STANDING_KEY]);
    show(items[key]);
  })().catch(() => show(undefined));

  return { tab, stance, health, rights, dispose: () => browser.storage.onChanged.removeListener(onChanged) };
}
