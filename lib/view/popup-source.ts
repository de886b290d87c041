import { signal, type Signal } from '@preact/signals';
import type { browser as Browser } from 'wxt/browser';
import { isShopUrl } from '../catalog/shop-domains';
import { NO_STANCE, STANCE_KEY, parseStance, type Stance } from '../consent/stance';
import { LOG_HEALTH_KEY, LogHealth } from '../db/health';
import { readStoredTabState, tabStateKey, type TabState } from '../observe/tab-state';
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
 * The DevTools panel reads its tab the same way. `schedule` lets a reader take only the latest of a
 * burst of changes (the panel: once per animation frame, so a flooded tab cannot keep it busy, and
 * nothing at all while DevTools hides it).
 */
export function watchPopupTab(
  browser: WebExtension,
  requestedTabId: number | null,
  { schedule }: { schedule?: (work: () => void) => void } = {},
): { tab: Signal<PopupTab>; stance: Signal<Stance>; health: Signal<LogHealth['state'] | null>; rights: Signal<RightsDigest[] | null>; dispose(): void } {
  const tab = signal<PopupTab>({ status: 'loading' });
  const health = signal<LogHealth['state'] | null>(null);
  const readHealth = (raw: unknown) => (health.value = LogHealth.safeParse(raw).data?.state ?? null);
  const stance = signal<Stance>(NO_STANCE);
  /** The customer's rights requests as the background's deadline check last wrote them. */
  const rights = signal<RightsDigest[] | null>(null);
  void browser.storage.local.get(STANCE_KEY).then((items) => (stance.value = parseStance(items[STANCE_KEY])), () => undefined);
  const area = browser.storage.session ?? browser.storage.local;
  let tabId = requestedTabId;
  let key: string | null = null;
  let url: string | undefined;
  /**
   * Changes of the tab's state heard so far: an address asked for after a removal is used only if
   * nothing came since, and so is the first read's answer (below).
   */
  let heard = 0;
  /** Whether the log's health or the rights' standing changed while the first read was in flight. */
  let healthHeard = false;
  let rightsHeard = false;

  function show(raw: unknown) {
    const state = readStoredTabState(raw);
    if (state) tab.value = { status: 'ready', state };
    else if (url && isShopUrl(url)) tab.value = { status: 'no-state', url };
    else tab.value = { status: 'not-shop' };
  }
  let latest: unknown;
  let queued = false;
  function changed(raw: unknown) {
    latest = raw;
    if (!schedule) return show(raw);
    if (queued) return;
    queued = true;
    schedule(() => {
      queued = false;
      show(latest);
    });
  }
  /** The tab's address, where this page may ask for it (Firefox gives DevTools pages no `tabs`). */
  const tabUrl = (tabId: number) => (browser.tabs?.get ? browser.tabs.get(tabId).then((t) => t.url, () => undefined) : Promise.resolve(undefined));

  const onChanged = (changes: Record<string, { newValue?: unknown }>, areaName: string) => {
    if (areaName === 'local' && STANCE_KEY in changes) stance.value = parseStance(changes[STANCE_KEY]!.newValue);
    if (LOG_HEALTH_KEY in changes) {
      healthHeard = true;
      readHealth(changes[LOG_HEALTH_KEY]!.newValue);
    }
    if (RIGHTS_STANDING_KEY in changes) {
      rightsHeard = true;
      rights.value = parseRightsStanding(changes[RIGHTS_STANDING_KEY]!.newValue);
    }
    if (!key || areaName !== (browser.storage.session ? 'session' : 'local') || !(key in changes)) return;
    const raw = changes[key]!.newValue;
    const now = ++heard;
    // The visit ended: the tab left the shop, or is loading another page of it. Which it is decides
    // between "not the shop" and "reload", so the address is asked for again.
    if (raw === undefined && tabId !== null) {
      void tabUrl(tabId).then((address) => {
        url = address;
        if (now === heard) changed(raw);
      });
    } else changed(raw);
  };
  browser.storage.onChanged.addListener(onChanged);

  void (async () => {
    if (tabId === null) {
      const [active] = await browser.tabs.query({ active: true, currentWindow: true });
      tabId = active?.id ?? null;
      url = active?.url;
    } else {
      url = await tabUrl(tabId);
    }
    if (tabId === null) return show(undefined);
    key = tabStateKey(tabId);
    const before = heard;
    const items = await area.get([key, LOG_HEALTH_KEY, RIGHTS_STANDING_KEY]);
    // A change heard while this read was in flight is kept: the read's answer can be older than it
    // (the browser does not order the two), and showing it would undo the change until the next one.
    if (!healthHeard) readHealth(items[LOG_HEALTH_KEY]);
    if (!rightsHeard) rights.value = parseRightsStanding(items[RIGHTS_STANDING_KEY]);
    if (heard === before) show(items[key]);
  })().catch(() => show(undefined));

  return { tab, stance, health, rights, dispose: () => browser.storage.onChanged.removeListener(onChanged) };
}
