import { catalog } from '../catalog';
import { logOpener, type LogSource } from '../db/dexie';
import type { Translator } from '../i18n';
import { requestTitle } from './letters';
import { NOTIFIED_KEY, REMINDER_SETTINGS_KEY, ReminderSettings, dueReminders, newReminders, reminderKey } from './reminders';
import { RIGHTS_STANDING_KEY, digestRequests, type RightsDigest } from './standing';
import { listRequests } from './store';

type WebExtension = typeof import('wxt/browser').browser;

const ALARM = 'request-deadlines';

/**
 * The deadlines of the customer's rights requests (GDPR art. 12(3), one month): a "!" on every tab
 * without a badge of its own while one is due or late, and a notification once each if they asked
 * for them. Checked at start (once `firstCheckAfter` resolves), twice a day, and whenever a page says
 * the requests changed.
 */
export function watchDeadlines(
  browser: WebExtension,
  log: LogSource,
  t: Translator,
  {
    onStanding,
    ready = Promise.resolve(),
    firstCheckAfter = Promise.resolve(),
  }: {
    onStanding?(digest: RightsDigest[]): void;
    /** Resolves once `t` has its strings (the background reads them at start-up): a notification is sent once. */
    ready?: Promise<unknown>;
    /** When the check at start runs: the background holds it back until the events that woke it are handled. */
    firstCheckAfter?: Promise<unknown>;
  } = {},
) {
  // Read when the check runs, not in a woken worker's first task (see tab-sync.ts).
  const action = () => browser.action ?? (browser as unknown as { browserAction: typeof browser.action }).browserAction;
  const database = logOpener(log);

  async function check() {
    await ready;
    const requests = await listRequests(database());
    // The promise of an answer within a month is judged from this, in the popup and on every tab.
    const digest = digestRequests(requests);
    onStanding?.(digest);
    await (browser.storage.session ?? browser.storage.local).set({ [RIGHTS_STANDING_KEY]: digest });
    const reminders = dueReminders(requests, Date.now(), catalog.shop.answerDeadlineMonths);
    // The badge without a tab id shows on every tab that has no badge of its own.
    await action().setBadgeText({ text: reminders.length ? '!' : '' });
    await action().setBadgeBackgroundColor({ color: '#b3261e' });
    await action().setTitle({ title: reminders.length ? t.plural('reminderBadgeTitle', reminders.length) : t.t('actionTitle') });
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
    if (fresh.length) await browser.storage.local.set({ [NOTIFIED_KEY]: [...notified, ...fresh.map(reminderKey)].slice(-500) });
  }

  browser.alarms?.onAlarm.addListener((alarm) => {
    if (alarm.name === ALARM) void check().catch(() => undefined);
  });
  browser.notifications?.onClicked.addListener(() => void browser.tabs.create({ url: browser.runtime.getURL('/options.html#requests') }));
  void browser.alarms?.create(ALARM, { periodInMinutes: 720, delayInMinutes: 1 });
  void firstCheckAfter.then(check).catch((error) => console.error('privacy-lens: deadline check failed', error));
  return { check };
}
