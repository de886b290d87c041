/**
 * Stopping and reading the extension's MV3 service worker from a test, the way Chrome itself stops
 * it when it has been idle (or updates the extension): the worker's globals and timers are gone,
 * and the next event starts a fresh one.
 */
import { changeLog, readLogTable, readObservations } from './log';
import type { CDPSession, Page, Target, WebWorker } from 'puppeteer';
import { closeWorker, type ExtensionBrowser } from '../../lib/scan/chromium';
import { hasConsentModeSignal } from '../../lib/catalog';
import { classifier } from '../../lib/classify';
import { parseConsentMode } from '../../lib/consent/consent-mode';
import { findPersonalData } from '../../lib/consent/personal-data';
import type { ConsentChangeRow, CookieSeen, Observation, Visit } from '../../lib/db';
import { LOG_HEALTH_KEY } from '../../lib/db/health';
import { JOURNAL_PREFIX } from '../../lib/db/writer';
import { urlKey } from '../../lib/observe/reconcile';
import type { TabState } from '../../lib/observe/tab-state';
import type { RecordedRequest } from '../fixtures/shop/server';

/** mulberry32: a small seeded PRNG, so that a failing run can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface LogSnapshot {
  visits: Visit[];
  observations: Observation[];
  cookies: CookieSeen[];
  consentChanges: ConsentChangeRow[];
  rightsRequests: { id: string; type: string }[];
}

export interface WorkerControl {
  /**
   * Stops the worker if one is running and waits until its target is gone; false when none ran.
   * `Target.closeTarget` on the worker's target plus a detach (puppeteer's `WebWorker.close()`) is
   * what stops it in Chromium 156: DevTools reports the version `stopping` then `stopped`, the target
   * goes away, and the next start has fresh globals. `ServiceWorker.stopAllWorkers` stops it too, but
   * puppeteer keeps the old target attached and hands out a dead handle afterwards (and so it does
   * for every stopped worker once the `ServiceWorker` domain is enabled: this never enables it).
   */
  stop(): Promise<boolean>;
  /** Whether the running worker is a new one: the mark `stop` left in the old one's globals is gone. */
  restarted(): Promise<boolean>;
  /** Starts the worker if it is not running (`ServiceWorker.startWorker`), as any event would. */
  wake(): Promise<void>;
  /** Every row of the log's tables the tests compare, read from an extension page. */
  readLog(): Promise<LogSnapshot>;
  /** The same, read in the worker: no page of the extension's origin has touched IndexedDB then. */
  readLogInWorker(): Promise<LogSnapshot>;
  /** The log's health and the rows still waiting in the journal, for a failure's message. */
  sessionSummary(): Promise<string>;
  close(): Promise<void>;
}

/**
 * `notStopped`: where `stop` counts why it found nothing to stop, each reason with its count, for the
 * failure of a test that needs stops (a test that replaces its control passes the same record).
 */
export async function controlWorker(ext: ExtensionBrowser, notStopped: Record<string, number> = {}): Promise<WorkerControl> {
  // An extension page: it shares the log's IndexedDB origin and carries the DevTools session.
  const reader: Page = await ext.browser.newPage();
  await reader.goto(`chrome-extension://${ext.extensionId}/manifest.json`);
  const cdp: CDPSession = await reader.createCDPSession();
  const scopeURL = `chrome-extension://${ext.extensionId}/`;
  const isOurs = (t: Target) => t.type() === 'service_worker' && t.url().startsWith(scopeURL);

  const missed = (why: string) => {
    notStopped[why] = (notStopped[why] ?? 0) + 1;
    return false;
  };

  return {
    async stop() {
      const target = ext.browser.targets().filter(isOurs).at(-1);
      if (!target) return missed('no worker running');
      // A close that lands while the worker is still starting can be ignored: ask again.
      for (let attempt = 0; attempt < 5; attempt++) {
        // Gone after the last attempt's wait ended: that close did it.
        if (attempt > 0 && !ext.browser.targets().includes(target)) return true;
        const handle = await target.worker().catch(() => null);
        if (!handle) return missed('no handle on the worker');
        // A mark in the worker's globals: the next worker must not have it (see `restarted`).
        await Promise.race([handle.evaluate(() => void Object.assign(globalThis, { stoppedByTest: true })).catch(() => undefined), new Promise((r) => setTimeout(r, 1_000))]);
        const { gone, refused } = await closeWorker(ext.browser, target, handle, 3_000);
        if (gone) return true;
        if (refused) return missed(`close refused (${refused.message.slice(0, 80)}), the worker still there`);
      }
      throw new Error('the service worker did not stop');
    },
    async restarted() {
      const current = await ext.worker();
      return current.evaluate(() => !('stoppedByTest' in globalThis));
    },
    async wake() {
      if (ext.browser.targets().some(isOurs)) return;
      // Enabled only for this call: while it is on, stopped workers' targets linger (see `stop`).
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.startWorker', { scopeURL });
      await cdp.send('ServiceWorker.disable');
      // Started is not yet seen: the worker's target reaches puppeteer an event later, and a stop asked
      // for before it would find nothing to stop.
      await ext.browser.waitForTarget(isOurs, { timeout: 10_000 });
    },
    readLog: () => readAllRows(reader),
    readLogInWorker: async () => readAllRows(await ext.worker()),
    sessionSummary: async () =>
      (await ext.worker()).evaluate(
        async (healthKey, journalPrefix) => {
          const items = await chrome.storage.session.get(null);
          const journal = Object.keys(items).filter((key) => key.startsWith(journalPrefix));
          return `log health ${JSON.stringify(items[healthKey] ?? 'never set')}, ${journal.length} journal row(s): ${journal.slice(0, 20).join(', ')}`;
        },
        LOG_HEALTH_KEY,
        JOURNAL_PREFIX,
      ),
    close: () => reader.close(),
  };
}

/** Every row the tests compare, read from an extension context (a page or the worker). */
async function readAllRows(context: Page | WebWorker): Promise<LogSnapshot> {
  const [visits, cookies, consentChanges, rightsRequests] = await Promise.all(['visits', 'cookies', 'consentChanges', 'rightsRequests'].map((table) => readLogTable(context, table)));
  const observations = await readObservations(context);
  return { visits, observations, cookies, consentChanges, rightsRequests } as unknown as LogSnapshot;
}

/** A request as both sides can name it: the method and the full URL, without the fragment the browser never sends. */
const requestKey = (method: string, url: string) => `${method} ${url.split('#')[0]}`;

/**
 * The requests to catalog hosts the extension watches on the network (webRequest), as the fixture
 * server received them: what the log must hold, once each. Hosts the catalog observes through the
 * page (Resource Timing) and the shop's own pages are left out.
 */
export function catalogRequests(received: readonly RecordedRequest[]): string[] {
  const classify = classifier();
  return received
    .filter((r) => {
      const cls = classify.classifyUrl(`https://${r.host}${r.path}`);
      return cls.party === 'listed' && cls.observeBy === 'network' && !classify.isShopHost(r.host);
    })
    .map((r) => requestKey(r.method, `https://${r.host}${r.path}`));
}

/** Recovered from the page's Resource Timing, which does not say the method: matched by URL alone. */
const RECOVERED = '*';

/** The same requests as the log holds them for the given visits (recovered ones as `* url`). */
export function loggedCatalogRequests(log: LogSnapshot, visitIds: ReadonlySet<string>): string[] {
  const classify = classifier();
  return log.observations
    .filter((o) => visitIds.has(o.visitId) && !classify.isShopHost(o.host))
    .filter((o) => {
      if (o.source === 'network') return true;
      const cls = classify.classifyUrl(o.url);
      return o.source === 'page' && cls.party === 'listed' && cls.observeBy === 'network';
    })
    .map((o) => requestKey(o.source === 'network' ? o.method : RECOVERED, o.url));
}

/** Requests the page made that the log lacks, and rows the log holds more often than they were made. */
export function compareRequests(made: readonly string[], logged: readonly string[]) {
  const count = (keys: readonly string[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
  const madeCount = count(made);
  const loggedCount = count(logged);
  const lost: string[] = [];
  const duplicated: string[] = [];
  for (const [key, n] of madeCount) {
    for (let i = loggedCount.get(key) ?? 0; i < n; i++) {
      // Not seen on the network by a running worker: recovered from the page's report?
      const recovered = requestKey(RECOVERED, key.slice(key.indexOf(' ') + 1));
      if ((loggedCount.get(recovered) ?? 0) > 0) loggedCount.set(recovered, loggedCount.get(recovered)! - 1);
      else lost.push(key);
    }
  }
  // Recovered rows not needed to make up for a missing one are doubles too.
  for (const [key, n] of loggedCount) for (let i = key.startsWith(`${RECOVERED} `) ? 0 : (madeCount.get(key) ?? 0); i < n; i++) duplicated.push(key);
  return { lost, duplicated };
}

/**
 * Rows whose stored contents disagree with their own request: the entry and kind its URL classifies to,
 * the Consent Mode its query carries, the personal data in it, a time within its visit. A row written
 * twice, or a request's end stored over its start, shows here (a stop must lose nothing of a row).
 */
export function rowsAtOddsWithTheirRequests(log: LogSnapshot, visitIds: ReadonlySet<string>, now = Date.now()): string[] {
  const classify = classifier();
  const started = new Map(log.visits.map((v) => [v.id, v.startedAt]));
  const odd: string[] = [];
  for (const row of log.observations) {
    if (!visitIds.has(row.visitId) || row.entryId === null || row.source === 'headers') continue;
    const cls = classify.classifyUrl(row.url);
    const problems: string[] = [];
    if (cls.party === 'listed' && (cls.entryId !== row.entryId || cls.kind !== row.kind)) problems.push(`filed as ${row.entryId}/${row.kind}`);
    const query = row.url.includes('?') ? row.url.slice(row.url.indexOf('?') + 1) : '';
    const consentMode = hasConsentModeSignal(row.entryId) && query ? parseConsentMode(query) : null;
    if (!sameJson(row.consentMode ?? null, consentMode)) problems.push(`consent mode ${JSON.stringify(row.consentMode)} for ${JSON.stringify(consentMode)}`);
    const inUrl = findPersonalData(row.url, undefined);
    if (!inUrl.every((hit) => (row.personalData ?? []).some((h) => h.kind === hit.kind && h.where === hit.where))) problems.push('personal data lost');
    const visitStart = started.get(row.visitId) ?? 0;
    // The page's Resource Timing measures from the navigation's start, a moment before the visit's first event.
    if (row.at < visitStart - 5_000 || row.at > now) problems.push(`time ${row.at} outside its visit`);
    if (problems.length) odd.push(`${row.url}: ${problems.join('; ')}`);
  }
  return odd;
}

/** The same JSON value, whatever the order of object keys (IndexedDB keeps its own). */
function sameJson(a: unknown, b: unknown): boolean {
  const sorted = (value: unknown): unknown =>
    value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([x], [y]) => x.localeCompare(y)).map(([k, v]) => [k, sorted(v)])) : value;
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

/**
 * Where each lost request went, for a failure's message: the tab state's two tallies of its URL
 * (webRequest's `network`, the page report's `page`) and the log's rows of that URL in any visit. A
 * network tally means a worker handled its event and saved the state, so its row should have been
 * journaled with it; a page tally alone, that the report recovered it and its row went astray; neither,
 * that no event and no report reached a worker that saved.
 */
export function whereLostRequestsWent(lost: readonly string[], state: TabState | null, log: LogSnapshot): string {
  return lost
    .map((key) => {
      const url = key.slice(key.indexOf(' ') + 1);
      const tallies = state ? `network ${state.reconcile.network[urlKey(url)] ?? 0}, page ${state.reconcile.page[urlKey(url)] ?? 0}` : 'no tab state';
      const rows = log.observations.filter((o) => o.url.split('#')[0] === url).map((o) => `${o.source} in ${o.visitId === state?.visitId ? 'this visit' : `visit ${o.visitId}`}`);
      return `${key}: tallies ${tallies}; rows ${rows.length ? rows.join(', ') : 'none'}`;
    })
    .concat(state ? [`reports read ${JSON.stringify(state.reconcile.seqByPage)}, reconcile ${state.reconcile.off ? 'off' : 'on'}`] : [])
    .join('\n');
}

/** How many of the log's rows for these visits were recovered from the page's report. */
export function recoveredCount(logged: readonly string[]): number {
  return logged.filter((key) => key.startsWith(`${RECOVERED} `)).length;
}

/**
 * A rights request as the composer stores it, written straight into the log's table from an extension
 * page (any page of the extension's origin will do).
 */
export function storeRightsRequest(page: Page, request: { id: string; type: string; subject: string; sentAt: number }) {
  const row = {
    ...request,
    channel: 'email-dpo',
    language: 'nl',
    timeZone: 'Europe/Amsterdam',
    body: 'Geachte heer, mevrouw,',
    recipient: 'privacy@mijnliefsteboek.nl',
    status: 'sent',
    followUps: [],
    notes: '',
    updatedAt: Date.now(),
  };
  return changeLog(page, 'rightsRequests', { put: [row] });
}
