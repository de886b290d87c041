// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TranslatorProvider } from '@/components/i18n';
import { RequestList } from '@/components/RequestList';
import { createTranslator, type Language } from '@/lib/i18n';
import { catalog } from '@/lib/catalog';
import { composeLetter, MAILTO_SAFE_LENGTH, type RightsRequestRecord } from '@/lib/requests';

const request: RightsRequestRecord = {
  id: 'r1', type: 'access', channel: 'email-contact', language: 'nl', sentAt: Date.parse('2027-06-15T10:00:00Z'), timeZone: 'Europe/Amsterdam',
  subject: 'Verzoek om inzage (art. 15 AVG) – Sanne de Vries', body: 'Geachte heer, mevrouw,\n…\n', recipient: 'info@mijnliefsteboek.nl', status: 'sent', followUps: [], notes: '', updatedAt: 0,
};
const customer = { name: 'Sanne de Vries', email: 'sanne@voorbeeld.nl', orderNumber: '' };
const actions = { setStatus: async () => undefined, setNotes: async () => undefined, followedUp: async () => undefined };

/** The follow-up panel of one overdue request, opened at its next step, on a page in `pageLanguage`. */
function openFollowUp(record: RightsRequestRecord, pageLanguage: Language) {
  const root = document.createElement('div');
  document.body.append(root);
  act(() => {
    render(
      <TranslatorProvider value={createTranslator(pageLanguage)}>
        <RequestList requests={[record]} now={Date.parse('2027-07-20T10:00:00Z')} customer={customer} actions={actions} />
      </TranslatorProvider>,
      root,
    );
  });
  act(() => root.querySelector<HTMLButtonElement>('[data-next-step="reminder"]')!.click());
  return root;
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('a follow-up to a request', () => {
  it('is written in the request’s language, whatever the page’s', () => {
    for (const page of ['en', 'nl'] as const) {
      const text = openFollowUp(request, page).querySelector<HTMLTextAreaElement>('.followup__text')!.value;
      expect(text.split('\n')[0]).toMatch(/^Herinnering:/);
      // Its dates in Dutch too: sent 15 June, due 15 July 2027.
      expect(text).toContain('15 juni 2027');
      expect(text).toContain('15 juli 2027');
      expect(text).not.toMatch(/June|July|Reminder/);
    }
    const english = openFollowUp({ ...request, language: 'en' }, 'nl').querySelector<HTMLTextAreaElement>('.followup__text')!.value;
    expect(english.split('\n')[0]).toMatch(/^Reminder:/);
    expect(english).toContain('15 July 2027');
  });

  it('offers the letter as an .eml file, and says so when it is too long for a mail link', () => {
    // A follow-up quotes the letter it follows: an access request as the composer writes it.
    const letter = composeLetter({ type: 'access', language: 'nl', shop: catalog.shop, customer: { ...customer, orderNumber: 'MLB-204519' }, identifiers: [], recipientsSeen: [], correction: '', brokenPromises: [], dueDate: '15 juli 2027' });
    const root = openFollowUp({ ...request, subject: letter.subject, body: letter.body }, 'nl');
    const link = root.querySelector<HTMLAnchorElement>('.followup a.button')!;
    expect(link.href.startsWith('mailto:info@mijnliefsteboek.nl?')).toBe(true);
    expect(link.href.length).toBeGreaterThan(MAILTO_SAFE_LENGTH);
    expect(root.querySelector('[data-mailto-too-long]')?.textContent).toContain('.eml');
    expect(root.querySelector('[data-download-eml]')?.textContent).toBe('Download als e-mail (.eml)');

    // A short one has the button, and no warning.
    const short = openFollowUp(request, 'nl');
    expect(short.querySelector('[data-mailto-too-long]')).toBeNull();
    expect(short.querySelector('[data-download-eml]')).not.toBeNull();
  });

  it('says whether the letter was copied, and how to copy it by hand when the browser refuses', async () => {
    const copiedTexts: string[] = [];
    const clipboard = { writeText: async (text: string) => void copiedTexts.push(text) };
    Object.defineProperty(navigator, 'clipboard', { value: clipboard, configurable: true });
    const root = openFollowUp(request, 'en');
    const status = () => root.querySelector('.followup [role="status"]')!.textContent;
    act(() => root.querySelector<HTMLButtonElement>('[data-copy-letter]')!.click());
    await vi.waitFor(() => expect(status()).toBe('Copied.'));
    expect(copiedTexts[0]?.split('\n')[0]).toMatch(/^Herinnering:/);

    clipboard.writeText = () => Promise.reject(new DOMException('Document is not focused.', 'NotAllowedError'));
    Object.defineProperty(document, 'execCommand', { value: () => false, configurable: true });
    act(() => root.querySelector<HTMLButtonElement>('[data-copy-letter]')!.click());
    await vi.waitFor(() => expect(status()).toContain('copy it yourself'));
  });
});

