import '../parse/english-issues';
import { batch, computed, signal } from '@preact/signals';
import type { browser as Browser } from 'wxt/browser';
import { catalog } from '../catalog';
import type { LogDatabase } from '../db/schema';
import { untilLogWritten } from '../db/written';
import { createTranslator, type Language } from '../i18n';
import { channelRecipient, defaultChannel, emlFile, mailtoUrl, MAILTO_SAFE_LENGTH } from './channels';
import { answerDue } from './deadline';
import { citePromises, type SeenBrokenPromise } from './cite';
import { composeLetter } from './letters';
import { CUSTOMER_KEY, parseStoredCustomer, requestEvidence, saveRequest } from './store';
import { Customer, type Channel, type RequestType, type TrackingIdentifier } from './types';

type WebExtension = typeof Browser;

export interface ComposerDeps {
  browser: WebExtension;
  db: LogDatabase;
  initialType: RequestType;
  letterLanguage: Language;
  now(): number;
  timeZone: string;
  newId?: () => string;
}

/** Error codes the form shows next to its fields, as locale keys `error_<code>`. */
export type FieldErrors = Partial<Record<'name' | 'email' | 'orderNumber' | 'body', string>>;

/**
 * The request composer's state and actions, apart from its page: the customer's details (kept only
 * if they agree), the letter (pre-filled, editable), the channel, and nothing recorded as sent until
 * the customer says it was.
 */
export function createComposer(deps: ComposerDeps) {
  const { browser, db } = deps;
  const shop = catalog.shop;
  const type = signal<RequestType>(deps.initialType);
  const letterLanguage = signal<Language>(deps.letterLanguage);
  const name = signal('');
  const email = signal('');
  const orderNumber = signal('');
  const correction = signal('');
  const remember = signal(false);
  const identifiers = signal<TrackingIdentifier[]>([]);
  const recipients = signal<string[]>([]);
  /** Promises of the privacy policy the log saw broken, and whether the letter cites them (an objection can). */
  const brokenPromises = signal<SeenBrokenPromise[]>([]);
  const cite = signal(true);
  const subject = signal('');
  const body = signal('');
  const edited = signal(false);
  const channel = signal<Channel>(defaultChannel(deps.initialType));
  const errors = signal<FieldErrors>({});
  const notice = signal<{ key: string; values?: Record<string, string> } | null>(null);
  const recordedId = signal<string | null>(null);

  /** When the deadline counts from: the page's clock, read again before anything leaves (see `tick`). */
  const clock = signal(deps.now());
  const due = computed(() => answerDue(clock.value, deps.timeZone, { months: shop.answerDeadlineMonths }));
  const dueText = () => createTranslator(letterLanguage.value).formatCalendarDate(due.value);
  const recipient = computed(() => channelRecipient(channel.value, shop));
  const mailto = computed(() => mailtoUrl(recipient.value, subject.value, body.value));
  const mailtoTooLong = computed(() => mailto.value.length > MAILTO_SAFE_LENGTH);

  function rebuild() {
    const letter = composeLetter({
      type: type.value,
      language: letterLanguage.value,
      shop,
      // Until the customer fills them in, the letter shows where their details go, in its own language.
      customer: {
        name: name.value.trim() || (letterLanguage.value === 'nl' ? '[naam]' : '[name]'),
        email: email.value.trim() || (letterLanguage.value === 'nl' ? '[e-mailadres]' : '[e-mail address]'),
        orderNumber: orderNumber.value.trim(),
      },
      identifiers: identifiers.value,
      recipientsSeen: recipients.value,
      correction: correction.value,
      brokenPromises: cite.value ? citePromises(brokenPromises.value, letterLanguage.value, deps.timeZone) : [],
      dueDate: dueText(),
    });
    batch(() => {
      subject.value = letter.subject;
      body.value = letter.body;
      edited.value = false;
    });
  }

  /** The letter follows the form until the customer edits it by hand. */
  function changed() {
    if (!edited.value) rebuild();
  }

  /**
   * Reads the clock again. The month runs from the day the shop receives the request (art. 12(3)): a page
   * opened before midnight and sent after it names the next day's deadline, as the record will. A letter
   * edited by hand keeps the edits; only the date it names moves.
   */
  function tick() {
    const before = dueText();
    clock.value = deps.now();
    const after = dueText();
    if (after === before) return;
    if (!edited.value) rebuild();
    else body.value = body.value.replaceAll(before, after);
  }

  const ready = (async () => {
    const [stored, evidence] = await Promise.all([
      browser.storage.local.get(CUSTOMER_KEY).then((items) => parseStoredCustomer(items[CUSTOMER_KEY])),
      untilLogWritten((message) => browser.runtime.sendMessage(message)).then(() => requestEvidence(db)).catch(() => ({ identifiers: [], recipients: [], brokenPromises: [] })),
    ]);
    batch(() => {
      if (stored) {
        name.value = stored.name;
        email.value = stored.email;
        orderNumber.value = stored.orderNumber;
        remember.value = true;
      }
      identifiers.value = evidence.identifiers;
      recipients.value = evidence.recipients;
      brokenPromises.value = evidence.brokenPromises;
    });
    rebuild();
  })();

  function validate(): Customer | null {
    const parsed = Customer.safeParse({ name: name.value, email: email.value, orderNumber: orderNumber.value });
    const next: FieldErrors = {};
    if (!parsed.success) for (const issue of parsed.error.issues) next[issue.path[0] as keyof FieldErrors] ??= issue.message;
    if (body.value.trim() === '') next.body = 'letter-empty';
    errors.value = next;
    return parsed.success && !next.body ? parsed.data : null;
  }

  async function keepOrForget(customer: Customer) {
    if (remember.value) await browser.storage.local.set({ [CUSTOMER_KEY]: customer });
    else await browser.storage.local.remove(CUSTOMER_KEY);
  }

  return {
    type, letterLanguage, name, email, orderNumber, correction, remember, identifiers, recipients, brokenPromises, cite,
    subject, body, edited, channel, errors, notice, recordedId, due, recipient, mailto, mailtoTooLong, ready,
    rebuild,
    changed,
    tick,
    validate,
    /** The customer's details go into the shop's own form; they send it themselves. */
    async openShopForm() {
      tick();
      const customer = validate();
      if (!customer) return false;
      await keepOrForget(customer);
      await browser.runtime.sendMessage({ type: 'open-data-request-form', email: customer.email });
      notice.value = { key: 'shopFormOpened' };
      return true;
    },
    async prepareMail() {
      tick();
      const customer = validate();
      if (!customer) return null;
      await keepOrForget(customer);
      return { mailto: mailto.value, eml: emlFile({ to: recipient.value, subject: subject.value, body: body.value, date: new Date(deps.now()) }) };
    },
    /** Recorded only now, when the customer says the request left. */
    async confirmSent() {
      tick();
      const customer = validate();
      if (!customer) return null;
      await keepOrForget(customer);
      const id = deps.newId?.() ?? crypto.randomUUID();
      const sentAt = deps.now();
      await saveRequest(db, {
        id,
        type: type.value,
        channel: channel.value,
        language: letterLanguage.value,
        sentAt,
        timeZone: deps.timeZone,
        subject: subject.value,
        body: body.value,
        recipient: recipient.value,
        status: 'sent',
        followUps: [],
        notes: '',
        updatedAt: sentAt,
      });
      recordedId.value = id;
      // The background keeps the deadline badge; it learns of the new request at once.
      void browser.runtime.sendMessage({ type: 'requests-changed' }).catch(() => undefined);
      return id;
    },
    async forgetDetails() {
      await browser.storage.local.remove(CUSTOMER_KEY);
      batch(() => {
        name.value = '';
        email.value = '';
        orderNumber.value = '';
        remember.value = false;
      });
      notice.value = { key: 'detailsForgotten' };
      changed();
    },
  };
}

export type ComposerModel = ReturnType<typeof createComposer>;
