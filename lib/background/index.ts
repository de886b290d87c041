import Dexie from 'dexie';
import { catalog, hasConsentModeSignal, hostPermissions } from '../catalog';
import { classifier as sharedClassifier, createCookieMatcher, createHostingDetector } from '../classify';
import { NO_STANCE, STANCE_KEY, parseStance, type Stance } from '../consent/stance';
import { createLogWriter, openLog } from '../db';
import { RETENTION_KEY, makeRoom, parseRetention, pruneLog } from '../history/maintenance';
import { LOG_HEALTH_KEY, healthOf, type LogHealth } from '../db/health';
import { logVersionState } from '../db/schema';
import { NOTIFIED_KEY, REMINDER_SETTINGS_KEY, ReminderSettings, dueReminders, newReminders } from '../requests/reminders';
import { listRequests } from '../requests/store';
import { requestTitle } from '../requests/letters';
import { createTranslator, pickLanguage } from '../i18n';
import { createMessageRouter, type ContentMessage, type Sender } from '../messages';
import { readPageConsent } from '../observe/page-consent';
import { badgeFor, createObserver, createTabStore, findingRows, judgeTab, visitRow, type Observer, type RequestEvent } from '../observe';

type WebExtension = typeof import('wxt/browser').browser;

/** storage.local: `{ reason, previousVersion, version, at }` of the last `runtime.onInstalled`. */
/** How long after a "loading" event without an address the tab is asked again (see tabs.onUpdated). */
const HIDDEN_URL_SETTLE_MS = 500;

export const INSTALLED_KEY = 'installed:v1';

/**
 * Builds the background from its parts and registers every listener synchronously, as MV3 asks:
 * a service worker woken by an event must have its listener in place before its first await.
 * Events are then handled in order once the saved per-tab state is back (`store.ready`).
 */
export function startBackground(browser: WebExtension) {
  const classifier = sharedClassifier();
  const t = createTranslator(pickLanguage(browser.i18n.getUILanguage()));
  const action = browser.action ?? (browser as unknown as { browserAction: typeof browser.action }).browserAction;
  let stance: Stance = NO_STANCE;

  const db = openLog();
  const session = browser.storage.session ?? browser.storage.local;
  let health: LogHealth['state'] = 'ok';
  const setHealth = (state: LogHealth['state']) => {
    if (state === health) return;
    health = state;
    void session.set({ [LOG_HEALTH_KEY]: { state, at: Date.now() } }).catch(() => undefined);
  };
  const writer = createLogWriter(db, {
    async onError(error) {
      const state = healthOf(error);
      setHealth(state);
      console.error('privacy-lens: a log batch failed', error);
      // A full disk: make room (never from consent history or requests) and try the batch again.
      // A log from a newer version of the extension is left exactly as it is.
      if (state !== 'full') return false;
      const retention = parseRetention((await browser.storage.local.get(RETENTION_KEY))[RETENTION_KEY]);
      return (await makeRoom(db, retention)) > 0;
    },
    // A write that lands clears a full disk, not a log from a newer version.
    onWritten: () => health !== 'newer-version' && setHealth('ok'),
    journal: session,
  });
  void db.open().then(
    () => setHealth(logVersionState(db)),
    (error: unknown) => setHealth(healthOf(error)),
  );
  const store = createTabStore(browser.storage.session ?? browser.storage.local, {
    onChange(tabId, state) {
      const judgement = state ? judgeTab(state, stance) : null;
      if (state && judgement) {
        for (const row of findingRows(state.visitId, judgement)) writer.put('findings', row);
        writer.put('visits', visitRow(state, judgement));
      }
      const badge = badgeFor(state, judgement);
      const title = badge.tone === 'none' ? t.t('actionTitle') : badge.tone === 'violation' ? t.t('badgeTitleViolation') : t.plural('badgeTitleActive', Number.parseInt(badge.text, 10));
      // A tab may be gone by the time its badge is written; that is not an error worth a log line.
      return Promise.allSettled([
        action.setBadgeText({ tabId, text: badge.text }),
        action.setBadgeBackgroundColor({ tabId, color: badge.color }),
        action.setTitle({ tabId, title }),
      ]);
    },
  });
  const observer = createObserver({
    classifier,
    matchCookie: createCookieMatcher(),
    detectHosting: createHostingDetector(),
    hasConsentMode: hasConsentModeSignal,
    writer,
    store,
    now: Date.now,
    newId: () => crypto.randomUUID(),
    async loggedRows(visitId, url) {
      // Rare (only after a stopped worker lost events): write what is queued, then count on disk.
      await writer.flush();
      return db.observations.where('[visitId+at]').between([visitId, Dexie.minKey], [visitId, Dexie.maxKey]).filter((row) => row.url === url).count();
    },
    snapshotCookies(tabId, visitId) {
      void Promise.all(catalog.shop.domains.map((domain) => browser.cookies.getAll({ domain })))
        .then((lists) => whenReady(() => observer.cookiesPresent(tabId, visitId, lists.flat())))
        .catch(() => undefined);
    },
  });

  function whenReady(handle: () => void) {
    // Promise callbacks run in the order they were attached, so events keep their order.
    void store.ready.then(handle).catch((error) => console.error('privacy-lens: event failed', error));
  }

  const filter = { urls: hostPermissions() };
  browser.webRequest.onBeforeRequest.addListener(
    (details) => {
      whenReady(() => observer.requestStarted(toRequestEvent(details)));
      return undefined;
    },
    filter,
    ['requestBody'],
  );
  // Chromium hides Set-Cookie from responseHeaders unless asked with 'extraHeaders' (Firefox shows it
  // and knows no such option): it is how a cookie the shop's server sets is told from a script's.
  const completedOptions = browser.webRequest.OnCompletedOptions as Record<string, string> | undefined;
  const extraHeaders = completedOptions && 'EXTRA_HEADERS' in completedOptions ? ['extraHeaders' as const] : [];
  browser.webRequest.onCompleted.addListener((details) => whenReady(() => observer.requestEnded(toRequestEvent(details))), filter, ['responseHeaders', ...extraHeaders]);
  browser.webRequest.onErrorOccurred.addListener((details) => whenReady(() => observer.requestEnded(toRequestEvent(details))), filter);
  browser.cookies.onChanged.addListener(({ removed, cause, cookie }) =>
    whenReady(() => observer.cookieChanged({ removed, cause, name: cookie.name, domain: cookie.domain, value: cookie.value })),
  );
  browser.tabs.onUpdated.addListener((tabId, change, tab) => {
    // Chromium clears a tab's own badge when its navigation commits, which on a slow page comes after
    // the visit's first requests set it: once the page has loaded, the badge is drawn again.
    if (change.status === 'complete') {
      return whenReady(() => {
        const state = store.get(tabId);
        if (state) store.changed(state);
      });
    }
    if (change.status !== 'loading') return;
    const at = Date.now();
    const url = change.url ?? tab.url;
    if (url !== undefined) return whenReady(() => observer.tabNavigated(tabId, url, at));
    // No address: the browser hides it for a page we hold no access to, but Firefox also hides a new
    // tab's placeholder while the shop page's own request has already started the visit. Look again
    // once the navigation has settled: a shop page shows its address by then.
    setTimeout(() => {
      void browser.tabs.get(tabId).then(
        (settled) => whenReady(() => observer.tabNavigated(tabId, settled.url, at)),
        () => undefined,
      );
    }, HIDDEN_URL_SETTLE_MS);
  });
  browser.tabs.onRemoved.addListener((tabId) => whenReady(() => observer.tabRemoved(tabId)));

  // The user's own stance: read once, then followed; every open tab is judged again when it changes.
  const stanceLoaded = browser.storage.local.get(STANCE_KEY).then((items) => {
    stance = parseStance(items[STANCE_KEY]);
  });
  browser.storage.onChanged.addListener((changes, area) => {
    if (area !== 'local' || !(STANCE_KEY in changes)) return;
    stance = parseStance(changes[STANCE_KEY]!.newValue);
    whenReady(() => {
      for (const state of store.all()) store.changed(state);
    });
  });

  // How the extension last started (install, update, browser update), so that an update can be told
  // from a fresh install afterwards: the end-to-end test of updates checks it.
  browser.runtime.onInstalled.addListener(({ reason, previousVersion }) => {
    const record = { reason, previousVersion: previousVersion ?? null, version: browser.runtime.getManifest().version, at: Date.now() };
    void browser.storage.local.set({ [INSTALLED_KEY]: record }).catch(() => undefined);
  });

  const pendingFills = createPendingFills(browser.storage.session ?? browser.storage.local);

  const router = createMessageRouter({
    extensionId: browser.runtime.id,
    extensionBaseUrl: browser.runtime.getURL('/'),
    isShopUrl: (url) => classifier.classifyUrl(url).party === 'shop',
    onContent(tabId, message) {
      if (message.type === 'data-request-form-ready') return pendingFills.take(tabId);
      // Answered once the tab state it changed is saved: a report the worker handled but could not
      // save before it was stopped is sent again by the content script, not lost.
      return new Promise<void>((resolve) =>
        whenReady(() => {
          handleContent(observer, tabId, message);
          resolve(store.saved());
        }),
      );
    },
    async onExtensionPage(message) {
      if (message.type === 'requests-changed') return checkDeadlines();
      if (message.type !== 'open-data-request-form') return undefined;
      const tab = await browser.tabs.create({ url: catalog.shop.dataRequestPage.url });
      if (tab.id !== undefined) await pendingFills.put(tab.id, message.email);
      return { tabId: tab.id ?? null };
    },
    onDrop: (diagnostics) => void browser.storage.session?.set({ diagnostics }).catch(() => undefined),
    now: Date.now,
  });
  browser.runtime.onMessage.addListener((message: unknown, sender: Sender) => router.route(message, sender));

  // The log keeps visits for as long as the user chose; pruned whenever the worker starts (it is
  // started again many times a day) and when the setting changes on the history page.
  void browser.storage.local
    .get(RETENTION_KEY)
    .then((items) => pruneLog(db, parseRetention(items[RETENTION_KEY])))
    .catch((error) => console.error('privacy-lens: pruning failed', error));

  // Deadlines of rights requests: checked at start, twice a day, and when a page says they changed.
  async function checkDeadlines() {
    const requests = await listRequests(db);
    const reminders = dueReminders(requests, Date.now(), catalog.shop.answerDeadlineMonths);
    // The badge without a tab id shows on every tab that has no badge of its own.
    await action.setBadgeText({ text: reminders.length ? '!' : '' });
    await action.setBadgeBackgroundColor({ color: '#b3261e' });
    await action.setTitle({ title: reminders.length ? t.plural('reminderBadgeTitle', reminders.length) : t.t('actionTitle') });
    const items = await browser.storage.local.get([REMINDER_SETTINGS_KEY, NOTIFIED_KEY]);
    const settings = ReminderSettings.safeParse(items[REMINDER_SETTINGS_KEY]);
    const notified = Array.isArray(items[NOTIFIED_KEY]) ? (items[NOTIFIED_KEY] as unknown[]).filter((k): k is string => typeof k === 'string') : [];
    if (!settings.success || !settings.data.notify || !browser.notifications) return;
    const fresh = newReminders(reminders, notified);
    for (const reminder of fresh) {
      const type = requestTitle(reminder.type, t.language).toLowerCase();
      const due = t.formatCalendarDate(reminder.due);
      await browser.notifications.create(`deadline:${reminder.requestId}:${reminder.kind}`, {
        type: 'basic',
        iconUrl: browser.runtime.getURL('/icon/128.png'),
        title: t.t(reminder.kind === 'overdue' ? 'reminderOverdueTitle' : 'reminderDueSoonTitle'),
        message: t.t(reminder.kind === 'overdue' ? 'reminderOverdueBody' : 'reminderDueSoonBody', { type, due }),
      });
    }
    if (fresh.length) await browser.storage.local.set({ [NOTIFIED_KEY]: [...notified, ...fresh.map((r) => `${r.requestId}:${r.kind}`)].slice(-500) });
  }
  browser.alarms?.onAlarm.addListener((alarm) => {
    if (alarm.name === 'request-deadlines') void checkDeadlines().catch(() => undefined);
  });
  browser.notifications?.onClicked.addListener(() => void browser.tabs.create({ url: browser.runtime.getURL('/options.html#requests') }));
  void browser.alarms?.create('request-deadlines', { periodInMinutes: 720, delayInMinutes: 1 });
  void checkDeadlines().catch((error) => console.error('privacy-lens: deadline check failed', error));

  const ready = Promise.all([store.ready, stanceLoaded.catch(() => undefined), writer.recovered]).then(() => undefined);
  return {
    ready,
    /**
     * Writes everything queued now (tests and the scan read the log right after a page settles). A
     * refused write is not thrown at the caller: it is already in the log's health for every page.
     */
    flush: () =>
      ready
        .then(() => store.flush())
        .then(() => observer.recovered())
        .then(() => writer.flush().catch(() => undefined)),
    diagnostics: router.diagnostics,
  };
}

/**
 * Addresses waiting to be filled into the shop's data-request form, one per tab the extension
 * opened for it. Kept in session storage so a restarted worker still has them; taken once.
 */
function createPendingFills(area: { get(key: string): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void>; remove(key: string): Promise<void> }) {
  const key = (tabId: number) => `fill:${tabId}`;
  return {
    put: (tabId: number, email: string) => area.set({ [key(tabId)]: { email, at: Date.now() } }),
    async take(tabId: number): Promise<{ email: string } | null> {
      const stored = (await area.get(key(tabId)))[key(tabId)] as { email?: unknown; at?: unknown } | undefined;
      await area.remove(key(tabId));
      // Ten minutes to load the page is plenty; an older one is a leftover, not a wish.
      if (!stored || typeof stored.email !== 'string' || typeof stored.at !== 'number' || Date.now() - stored.at > 600_000) return null;
      return { email: stored.email };
    },
  };
}

function handleContent(observer: Observer, tabId: number, message: ContentMessage) {
  switch (message.type) {
    case 'page-resources':
      return observer.pageResources(tabId, message.resources, message.page);
    case 'consent-banner':
      return observer.bannerSeen(tabId, message.cmp, message.showing);
    case 'page-consent': {
      const report = readPageConsent(message.report);
      return report && observer.pageConsent(tabId, report);
    }
  }
}

interface AnyRequestDetails {
  requestId: string;
  tabId: number;
  frameId: number;
  url: string;
  type: string;
  method: string;
  timeStamp: number;
  initiator?: string;
  statusCode?: number;
  error?: string;
  responseHeaders?: { name: string; value?: string }[];
  requestBody?: { formData?: Record<string, unknown[]>; raw?: { bytes?: ArrayBuffer }[] } | null;
  /** Firefox names the initiator differently. */
  originUrl?: string;
}

const MAX_BODY = 65_536;
const utf8 = new TextDecoder('utf-8', { fatal: false });

function toRequestEvent(details: AnyRequestDetails): RequestEvent {
  return {
    requestId: details.requestId,
    tabId: details.tabId,
    frameId: details.frameId,
    url: details.url,
    type: details.type,
    method: details.method,
    timeStamp: details.timeStamp,
    initiator: details.initiator ?? details.originUrl,
    statusCode: details.statusCode,
    error: details.error,
    responseHeaders: details.responseHeaders,
    body: bodyText(details.requestBody),
  };
}

/** A request body as text, for finding personal data in beacons and form posts (first 64 kB). */
function bodyText(body: AnyRequestDetails['requestBody']): string | undefined {
  if (!body) return undefined;
  if (body.formData) {
    const params = new URLSearchParams();
    for (const [name, values] of Object.entries(body.formData)) for (const value of values) if (typeof value === 'string') params.append(name, value);
    return params.toString().slice(0, MAX_BODY);
  }
  const bytes = body.raw?.find((part) => part.bytes)?.bytes;
  return bytes ? utf8.decode(bytes.slice(0, MAX_BODY)) : undefined;
}
