import { describe, expect, it } from 'vitest';
import { catalog } from '@/lib/catalog';
import {
  Customer,
  REQUEST_TYPES,
  addMonths,
  answerDue,
  calendarDate,
  composeFollowUp,
  composeLetter,
  daysLeft,
  emlFile,
  mailtoUrl,
  nextWorkingDay,
  requestState,
  trackingIdentifiers,
  type RightsRequestRecord,
} from '@/lib/requests';

const customer = { name: 'Sanne de Vries', email: 'sanne@voorbeeld.nl', orderNumber: 'MLB-204519' };
const identifiers = trackingIdentifiers([
  { name: '_ga', value: 'GA1.1.1234567890.1764000000' },
  { name: '_fbp', value: 'fb.1.1764000000123.1234567890' },
  { name: '_uetvid', value: '0f1e2d3c4b5a69788796a5b4c3d2e1f0' },
  { name: '_ga_MLB1234567', value: 'GS2.1.s1764000000$o1' },
  { name: 'session', value: 'x' },
]);

describe('tracking identifiers', () => {
  it('takes the ids the trackers look visitors up by', () => {
    expect(identifiers.map((i) => [i.cookie, i.value])).toEqual([
      ['_ga', '1234567890.1764000000'],
      ['_fbp', 'fb.1.1764000000123.1234567890'],
      ['_uetvid', '0f1e2d3c4b5a69788796a5b4c3d2e1f0'],
    ]);
  });
});

describe('letters', () => {
  const ARTICLE = { access: '15', erasure: '17', objection: '21', rectification: '16', portability: '20', withdrawal: '7(3)' } as const;
  for (const type of REQUEST_TYPES) {
    for (const language of ['nl', 'en'] as const) {
      it(`${type} in ${language} cites its article, the shop, the customer and the deadline`, () => {
        const letter = composeLetter({ type, language, shop: catalog.shop, customer, identifiers, recipientsSeen: ['Meta Platforms Ireland Limited'], correction: 'Mijn adres is Lindelaan 14.', dueDate: '28 februari 2027' });
        const law = language === 'nl' ? `art. ${ARTICLE[type]} AVG` : `Art. ${ARTICLE[type]} GDPR`;
        expect(letter.subject).toContain(law);
        expect(letter.subject).toContain(customer.name);
        const article = language === 'nl' ? `artikel ${ARTICLE[type].replace('(3)', ', lid 3,')}` : `Article ${ARTICLE[type]}`;
        expect(letter.body).toContain(article);
        expect(letter.body).toContain('Mijn Liefste Boek ApS');
        expect(letter.body).toContain(customer.email);
        expect(letter.body).toContain('MLB-204519');
        expect(letter.body).toContain('28 februari 2027');
        expect(letter.body).toContain(language === 'nl' ? 'uiterlijk binnen een maand' : 'within one month');
        const usesIds = type === 'access' || type === 'objection' || type === 'erasure';
        expect(letter.body.includes('1234567890.1764000000')).toBe(usesIds);
        expect(letter.body.includes('Meta Platforms Ireland Limited')).toBe(usesIds);
        expect(letter.body).not.toMatch(/undefined|\{\w+\}/);
      });
    }
  }

  it('tells the shop that invoices kept for five years cannot be erased', () => {
    expect(composeLetter({ type: 'erasure', language: 'nl', shop: catalog.shop, customer, identifiers: [], recipientsSeen: [], dueDate: 'x' }).body).toContain('tot 5 jaar te bewaren');
    expect(composeLetter({ type: 'erasure', language: 'en', shop: catalog.shop, customer, identifiers: [], recipientsSeen: [], dueDate: 'x' }).body).toContain('up to 5 years');
  });

  it('objects to marketing sharing and withdraws consent with it', () => {
    const body = composeLetter({ type: 'objection', language: 'nl', shop: catalog.shop, customer, identifiers, recipientsSeen: [], dueDate: 'x' }).body;
    expect(body).toContain('aan derden voor marketingdoeleinden');
    expect(body).toContain('artikel 7, lid 3');
  });
});

describe('customer details', () => {
  it.each([
    [{ name: 'Sanne', email: 'sanne@voorbeeld.nl', orderNumber: '' }, true, null],
    [{ name: 'Sanne', email: 'sanne@voorbeeld.nl', orderNumber: '204519' }, true, null],
    [{ name: '', email: 'sanne@voorbeeld.nl', orderNumber: '' }, false, 'name-missing'],
    [{ name: 'Sanne', email: 'sanne@', orderNumber: '' }, false, 'email-invalid'],
    [{ name: 'Sanne', email: '', orderNumber: '' }, false, 'email-invalid'],
    [{ name: 'Sanne', email: 'sanne@voorbeeld.nl', orderNumber: '#12' }, false, 'order-number-shape'],
    [{ name: 'Sanne', email: 'sanne@voorbeeld.nl', orderNumber: 'bestelling 12 van mei' }, false, 'order-number-shape'],
  ])('%j', (input, ok, code) => {
    const parsed = Customer.safeParse(input);
    expect(parsed.success).toBe(ok);
    if (!parsed.success) expect(parsed.error.issues[0]!.message).toBe(code);
  });
});

describe('deadlines', () => {
  it.each([
    ['2027-01-31', '2027-02-28'],
    ['2028-01-31', '2028-02-29'], // leap year
    ['2027-03-31', '2027-04-30'],
    ['2027-12-15', '2028-01-15'],
    ['2027-02-28', '2027-03-28'],
  ])('%s + one month = %s', (from, to) => {
    expect(addMonths(from, 1)).toBe(to);
  });

  it('counts from the customer’s own calendar day, not UTC’s', () => {
    // 31 January 2027, 23:30 in Amsterdam is already 1 February… no: it is 22:30 UTC on the 31st.
    const lateEvening = Date.parse('2027-01-31T22:30:00Z');
    expect(calendarDate(lateEvening, 'Europe/Amsterdam')).toBe('2027-01-31');
    // One month is 28 February 2027, a Sunday: the period ends on the Monday.
    expect(answerDue(lateEvening, 'Europe/Amsterdam')).toBe('2027-03-01');
    // 23:30 on 28 February in Amsterdam is 22:30 UTC; in Tokyo the same instant is 1 March.
    const sent = Date.parse('2027-02-28T22:30:00Z');
    // 28 March 2027 is Easter Sunday, and the Monday after it a holiday.
    expect(answerDue(sent, 'Europe/Amsterdam')).toBe('2027-03-30');
    expect(answerDue(sent, 'Asia/Tokyo')).toBe('2027-04-01');
    expect(answerDue(sent, 'Europe/Amsterdam', { extended: true })).toBe('2027-05-28');
  });

  it.each([
    // [sent, in Amsterdam, due]: a weekend, then Denmark's public holidays (the controller's, art. 2(1) of Reg. 1182/71).
    ['2027-01-31T22:30:00Z', '2027-03-01'], // Sun 28 February
    ['2026-11-25T10:00:00Z', '2026-12-28'], // Fri 25 December, Sat 26, Sun 27
    ['2026-11-30T23:30:00Z', '2027-01-04'], // 1 December (sent 00:30 local) + 1 month = Fri 1 January 2027, then the weekend
    ['2026-03-02T10:00:00Z', '2026-04-07'], // 2 April 2026 is Maundy Thursday: Good Friday, Easter Sunday and Monday follow
    ['2026-04-14T10:00:00Z', '2026-05-15'], // Thu 14 May 2026 is Ascension Day; the Friday after it is worked
    ['2026-04-25T10:00:00Z', '2026-05-26'], // Mon 25 May 2026 is Whit Monday
    ['2026-05-05T10:00:00Z', '2026-06-05'], // Fri 5 June, Constitution Day, is no public holiday
    ['2026-03-27T10:00:00Z', '2026-04-27'], // Mon 27 April, King's Day in the Netherlands, is worked in Denmark
    ['2027-03-10T10:00:00Z', '2027-04-12'], // Sat 10 April
  ])('sent %s is due %s: a period ending on a day off ends on the next working day', (sent, due) => {
    expect(answerDue(Date.parse(sent), 'Europe/Amsterdam')).toBe(due);
  });

  it('moves the extended deadline the same way', () => {
    // 26 September 2026 + three months = Sat 26 December 2026 (a holiday too), then Sunday.
    expect(answerDue(Date.parse('2026-09-26T10:00:00Z'), 'Europe/Amsterdam', { extended: true })).toBe('2026-12-28');
  });

  it('names the same working day for every day of a year', () => {
    // Every due date is a weekday that is no Danish holiday, and never more than five days late.
    for (let day = 0; day < 366; day++) {
      const sent = Date.UTC(2026, 0, 1, 10) + day * 86_400_000;
      const plain = addMonths(calendarDate(sent, 'Europe/Amsterdam'), 1);
      const due = answerDue(sent, 'Europe/Amsterdam');
      expect(nextWorkingDay(due)).toBe(due);
      expect([0, 6]).not.toContain(new Date(`${due}T12:00:00Z`).getUTCDay());
      expect(Date.parse(due) - Date.parse(plain)).toBeLessThanOrEqual(5 * 86_400_000);
      expect(Date.parse(due)).toBeGreaterThanOrEqual(Date.parse(plain));
    }
  });

  it('counts days left to the end of the due day', () => {
    expect(daysLeft('2027-02-28', Date.parse('2027-02-28T22:59:00Z'), 'Europe/Amsterdam')).toBe(0);
    expect(daysLeft('2027-02-28', Date.parse('2027-02-28T23:01:00Z'), 'Europe/Amsterdam')).toBe(-1);
  });
});

describe('request state and follow-ups', () => {
  const sent: RightsRequestRecord = {
    id: 'r1', type: 'access', channel: 'email-dpo', language: 'nl', sentAt: Date.parse('2027-01-31T10:00:00Z'), timeZone: 'Europe/Amsterdam',
    subject: 'Verzoek om inzage', body: 'Geachte heer, mevrouw, …', recipient: 'dpo@mybestbook.com', status: 'sent', followUps: [], notes: '', updatedAt: 0,
  };

  it('is open until the due date, then overdue with a reminder as the next step', () => {
    // One month is Sun 28 February 2027: the shop has until the end of Monday.
    expect(requestState(sent, Date.parse('2027-02-25T10:00:00Z'))).toMatchObject({ due: '2027-03-01', overdue: false, dueSoon: true, nextStep: null });
    expect(requestState(sent, Date.parse('2027-03-01T21:00:00Z'))).toMatchObject({ overdue: false, nextStep: null });
    expect(requestState(sent, Date.parse('2027-03-01T23:30:00Z'))).toMatchObject({ overdue: true, nextStep: 'reminder' });
    expect(requestState({ ...sent, status: 'answered' }, Date.parse('2027-03-01T10:00:00Z'))).toMatchObject({ overdue: false, nextStep: null });
  });

  it('offers the complaint fourteen days after the reminder, then the authority', () => {
    const reminded = { ...sent, followUps: [{ step: 'reminder' as const, at: Date.parse('2027-03-01T10:00:00Z') }] };
    expect(requestState(reminded, Date.parse('2027-03-10T10:00:00Z')).nextStep).toBeNull();
    expect(requestState(reminded, Date.parse('2027-03-16T10:00:00Z')).nextStep).toBe('dpo-complaint');
    const complained = { ...reminded, followUps: [...reminded.followUps, { step: 'dpo-complaint' as const, at: Date.parse('2027-03-16T10:00:00Z') }] };
    expect(requestState(complained, Date.parse('2027-04-01T10:00:00Z')).nextStep).toBe('authority-complaint');
  });

  it('writes the reminder to the shop, the complaint to its data-protection contact, the facts for the AP', () => {
    const common = { request: sent, shop: catalog.shop, customer, language: 'nl' as const, sentDate: '31 januari 2027', dueDate: '28 februari 2027', history: ['herinnering verstuurd op 1 maart 2027'] };
    const reminder = composeFollowUp({ ...common, step: 'reminder' });
    expect(reminder).toMatchObject({ recipient: 'dpo@mybestbook.com' });
    const viaForm = composeFollowUp({ ...common, request: { ...sent, channel: 'shop-form', recipient: catalog.shop.dataRequestPage.url }, step: 'reminder' });
    expect(viaForm.recipient).toBe('info@mijnliefsteboek.nl');
    expect(reminder.body).toContain('31 januari 2027');
    const dpo = composeFollowUp({ ...common, step: 'dpo-complaint' });
    expect(dpo.recipient).toBe('dpo@mybestbook.com');
    const ap = composeFollowUp({ ...common, step: 'authority-complaint' });
    expect(ap.recipient).toBe(catalog.shop.supervisoryAuthority.complaintUrl);
    expect(ap.body).toContain('Wat ik vroeg: verzoek om inzage (art. 15 AVG)');
    expect(ap.body).toContain('herinnering verstuurd op 1 maart 2027');
  });
});

describe('channels', () => {
  it('builds a mailto link that mail programs read back exactly', () => {
    const url = mailtoUrl('dpo@mybestbook.com', 'Verzoek om inzage (art. 15 AVG)', 'Regel één\nRegel & twee?');
    expect(url.startsWith('mailto:dpo@mybestbook.com?subject=')).toBe(true);
    const params = new URLSearchParams(url.slice(url.indexOf('?') + 1));
    expect(params.get('subject')).toBe('Verzoek om inzage (art. 15 AVG)');
    expect(params.get('body')).toBe('Regel één\r\nRegel & twee?');
  });

  it('writes an .eml draft with a UTF-8 body and an encoded subject', () => {
    const eml = emlFile({ to: 'dpo@mybestbook.com', subject: 'Verzoek – één', body: 'Geachte heer, mevrouw,\nÉén regel.', date: new Date('2027-01-31T10:00:00Z') });
    expect(eml).toContain('To: dpo@mybestbook.com\r\n');
    expect(eml).toMatch(/Subject: =\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=\r\n/);
    expect(eml).toContain('X-Unsent: 1');
    const body = eml.split('\r\n\r\n')[1]!.replace(/\r\n/g, '');
    expect(new TextDecoder().decode(Uint8Array.from(atob(body), (c) => c.charCodeAt(0)))).toBe('Geachte heer, mevrouw,\r\nÉén regel.');
  });
});
