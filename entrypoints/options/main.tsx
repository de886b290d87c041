import '@/lib/parse/jitless';
import { computed, signal } from '@preact/signals';
import { liveQuery } from 'dexie';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { TranslatorProvider } from '@/components/i18n';
import { judgeVisit } from '@/lib/consent/judge';
import { NO_STANCE, STANCE_KEY, Stance, parseStance } from '@/lib/consent/stance';
import { LOG_HEALTH_KEY, LogHealth, healthOf, logVersionState, openLog, type Visit } from '@/lib/db';
import { untilLogWritten } from '@/lib/db/written';
import { DEFAULT_RETENTION, RETENTION_KEY, eraseEverything, eraseThroughBackground, exportCsv, exportVisits, parseRetention, pruneLog, type Retention } from '@/lib/history';
import { followVisits } from '@/lib/history/live-visits';
import { setUpPage } from '@/lib/i18n/page';
import type { HarReportResult } from '@/lib/har/file';
import { putHarFile } from '@/lib/har/inbox';
import { MAX_HAR_BYTES, tooLarge } from '@/lib/har/parse';
import { MAX_REPORT_BYTES, pageReport, parseReport, reportToHtml, visitFromLog, visitPromises } from '@/lib/report';
import { CUSTOMER_KEY, REMINDER_SETTINGS_KEY, ReminderSettings, listRequests, parseStoredCustomer, updateRequest, type Customer, type RightsRequestRecord } from '@/lib/requests';
import { saveFile } from '@/lib/view/files';
import { App, type Tab } from './App';
import '@/components/theme.css';

// The history page, which is also the options page: #history, #requests, #settings, #import.
// The strings are read while the log opens; the page renders when both are there.
const page = setUpPage(browser, 'historyTitle');

const db = openLog();
// A log written by a newer version of the extension is said so and left alone (Dexie never wipes it).
const openHealth = signal<LogHealth['state'] | null>(null);
db.open().then(
  () => (openHealth.value = logVersionState(db)),
  (error: unknown) => (openHealth.value = healthOf(error)),
);
// A full disk shows when the background writes, not when this page opens the log: the background
// keeps what it found in session storage, and this page follows it as the popup does.
const writeHealth = signal<LogHealth['state'] | null>(null);
const sessionArea = browser.storage.session ?? browser.storage.local;
const readWriteHealth = (raw: unknown) => (writeHealth.value = LogHealth.safeParse(raw).data?.state ?? null);
void sessionArea.get(LOG_HEALTH_KEY).then((items) => readWriteHealth(items[LOG_HEALTH_KEY]), () => undefined);
browser.storage.onChanged.addListener((changes) => {
  if (LOG_HEALTH_KEY in changes) readWriteHealth(changes[LOG_HEALTH_KEY]!.newValue);
});
const health = computed(() => (writeHealth.value && writeHealth.value !== 'ok' ? writeHealth.value : openHealth.value));
const tabFromHash = (): Tab => (['history', 'requests', 'settings', 'import'].includes(location.hash.slice(1)) ? (location.hash.slice(1) as Tab) : 'history');
const tab = signal<Tab>(tabFromHash());
addEventListener('hashchange', () => (tab.value = tabFromHash()));

const visits = signal<Visit[]>([]);
const stance = signal<Stance | null>(null);
const requests = signal<RightsRequestRecord[]>([]);
const customer = signal<Customer | null>(null);
const retention = signal<Retention>(DEFAULT_RETENTION);
const reminders = signal<ReminderSettings>({ notify: false });
void browser.storage.local.get([STANCE_KEY, CUSTOMER_KEY, RETENTION_KEY, REMINDER_SETTINGS_KEY]).then(
  (items) => {
    const stored = ReminderSettings.safeParse(items[REMINDER_SETTINGS_KEY]);
    if (stored.success) reminders.value = stored.data;
    stance.value = parseStance(items[STANCE_KEY]);
    customer.value = parseStoredCustomer(items[CUSTOMER_KEY]);
    retention.value = parseRetention(items[RETENTION_KEY]);
  },
  () => (stance.value = NO_STANCE),
);
// Both lists follow the log: what the background writes shows up here at once. The visits come
// newest first for a quick first paint, then all of them, then the recent ones followed live.
followVisits(db, {
  onVisits: (rows) => (visits.value = rows),
  // A mark for the benchmark (npm run bench): the first frame with the timeline on screen.
  onFirstPage: () => requestAnimationFrame(() => performance.mark('privacy-lens:content-painted')),
});
liveQuery(() => listRequests(db)).subscribe({ next: (rows) => (requests.value = rows) });

async function saveStance(next: Stance) {
  // Parsed on the way out too: only a valid stance is ever stored.
  const valid = Stance.parse({ ...next, updatedAt: Date.now() });
  await browser.storage.local.set({ [STANCE_KEY]: valid });
  stance.value = valid;
}

const download = saveFile;

const sendToBackground = (message: { type: 'flush-log' }) => browser.runtime.sendMessage(message);
const requestsChanged = () => void browser.runtime.sendMessage({ type: 'requests-changed' }).catch(() => undefined);

const tool = { name: 'mijnliefsteboek-privacy-lens', version: browser.runtime.getManifest().version };

/**
 * A HAR file judged by the background (seconds for a large file), so this page keeps answering meanwhile:
 * the file goes through the inbox (lib/har/inbox.ts), the message only names it.
 */
async function judgeHarFile(file: File): Promise<HarReportResult> {
  if (file.size > MAX_HAR_BYTES) return { ok: false, problem: tooLarge() };
  try {
    const id = await putHarFile(file);
    const answer = (await browser.runtime.sendMessage({ type: 'judge-har', id })) as HarReportResult | undefined;
    // Nothing back is no answer: how Chromium ends a message whose worker was stopped (lib/messages/answers.ts).
    if (!answer) throw new Error('no answer from the background');
    return answer;
  } catch {
    // No answer (the background failed, or ran out of memory on a huge file): say the file could not be read.
    return { ok: false, problem: { code: 'unreadable' } };
  }
}

const { translator } = await page;
render(
  <TranslatorProvider value={translator}>
    <App
      tab={tab}
      health={health}
      visits={visits}
      stance={stance}
      onSaveStance={saveStance}
      requests={requests}
      customer={customer}
      retention={retention}
      requestActions={{
        setStatus: (id, status) => updateRequest(db, id, { status }).then(requestsChanged),
        setNotes: (id, notes) => updateRequest(db, id, { notes }),
        followedUp: (id, step) => updateRequest(db, id, { followUp: step }).then(requestsChanged),
      }}
      reminders={reminders}
      history={{
        async openVisit(visit) {
          await untilLogWritten(sendToBackground);
          const record = await visitFromLog(db, visit);
          const judgement = judgeVisit({ ...record.evidence, stance: stance.value });
          return { page: pageReport(record, stance.value), consent: record.evidence.consent, findings: judgement.findings, promises: visitPromises(record, judgement) };
        },
        async exportVisits(chosen, format, redact) {
          await untilLogWritten(sendToBackground);
          const report = await exportVisits(db, chosen, { stance: stance.value, redact, tool });
          const stamp = new Date().toISOString().slice(0, 10);
          if (format === 'json') download(`privacy-lens-${stamp}.json`, 'application/json', `${JSON.stringify(report, null, 2)}\n`);
          else download(`privacy-lens-${stamp}.csv`, 'text/csv', exportCsv(report));
        },
        async exportHtml(chosen, includePersonalData) {
          // Made whole here and redacted (or not) by the renderer itself, so nothing personal slips in by default.
          const report = await exportVisits(db, chosen, { stance: stance.value, redact: false, tool });
          download(`privacy-lens-${new Date().toISOString().slice(0, 10)}.html`, 'text/html', reportToHtml(report, { language: translator.language, includePersonalData }));
        },
        async setNotify(wanted) {
          // Notifications are an optional permission, asked for only here, on the customer's click.
          const granted = wanted ? await browser.permissions.request({ permissions: ['notifications'] }).catch(() => false) : false;
          await browser.storage.local.set({ [REMINDER_SETTINGS_KEY]: { notify: granted } });
          reminders.value = { notify: granted };
          requestsChanged();
          return granted;
        },
        async setRetention(days) {
          await browser.storage.local.set({ [RETENTION_KEY]: days });
          retention.value = days;
          await pruneLog(db, days);
        },
        async eraseEverything() {
          await eraseThroughBackground(
            (message) => browser.runtime.sendMessage(message),
            () => eraseEverything(db, [browser.storage.local, ...(browser.storage.session ? [browser.storage.session] : [])]),
          );
          stance.value = NO_STANCE;
          customer.value = null;
          retention.value = DEFAULT_RETENTION;
        },
        async importFile(file) {
          // Checked before reading: a huge file is refused without loading it into memory.
          if (file.size > MAX_REPORT_BYTES) return { ok: false, problem: { code: 'too-large', values: { megabytes: Math.round(MAX_REPORT_BYTES / 1048576) } } };
          return parseReport(await file.text());
        },
        importHar: judgeHarFile,
      }}
    />
  </TranslatorProvider>,
  document.getElementById('app')!,
);
