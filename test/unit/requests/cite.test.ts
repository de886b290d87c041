import { describe, expect, it } from 'vitest';
import { catalog } from '@/lib/catalog';
import type { PromiseCheck } from '@/lib/promises';
import { citePromises, composeFollowUp, composeLetter, latestBrokenPromises, type RightsRequestRecord } from '@/lib/requests';

const customer = { name: 'Sanne de Vries', email: 'sanne@voorbeeld.nl', orderNumber: 'MLB-204519' };
const T0 = Date.parse('2027-03-03T10:00:00Z');
const GA: PromiseCheck = { id: 'ga-anonymised', status: 'broken', facts: { code: 'identifiers-sent', entry: 'google-analytics', hits: 4, identifying: 4, params: ['cid'] } };
const META: PromiseCheck = { id: 'meta-unfinished-purchase-only', status: 'broken', facts: { code: 'events-other', entry: 'meta-pixel', events: [{ name: 'PageView', count: 2 }] } };
const LATE: PromiseCheck = { id: 'answer-within-a-month', status: 'broken', facts: { code: 'answer-overdue', type: 'access', sent: '2027-01-02', due: '2027-02-02', overdue: 1 } };
const KEPT: PromiseCheck = { id: 'encrypted', status: 'kept', facts: { code: 'all-encrypted', requests: 9 } };

const VISITS = [
  { startedAt: T0 - 86_400_000, url: 'https://www.mijnliefsteboek.nl/boeken/noor?email=sanne%40voorbeeld.nl', promises: [GA, KEPT] },
  { startedAt: T0, url: 'https://www.mijnliefsteboek.nl/', promises: [GA, META, LATE] },
  // A row another version wrote: passed over, not thrown on.
  { startedAt: T0 + 1, url: 'https://www.mijnliefsteboek.nl/x', promises: [{ id: 'ga-anonymised', status: 'broken', facts: { code: 'made-up' } }] },
  { startedAt: T0 + 2, url: 'https://www.mijnliefsteboek.nl/y' },
];

describe('citing the broken promises', () => {
  it('takes the latest visit each promise was broken on, in the policy’s order, leaving out what the letter is already about', () => {
    const seen = latestBrokenPromises(VISITS, { except: ['answer-within-a-month'] });
    expect(seen.map((s) => [s.check.id, s.at])).toEqual([
      ['ga-anonymised', T0],
      ['meta-unfinished-purchase-only', T0],
    ]);
    expect(latestBrokenPromises(VISITS).map((s) => s.check.id)).toContain('answer-within-a-month');
  });

  it('says them in the letter’s language: the policy’s own sentence, when, where, and what was seen', () => {
    const seen = latestBrokenPromises(VISITS);
    const [nl] = citePromises(seen, 'nl', 'Europe/Amsterdam');
    expect(nl).toEqual({ quote: catalog.promises[0]!.quote, rendering: null, date: '3 maart 2027', page: 'www.mijnliefsteboek.nl/', evidence: expect.stringContaining('Hits van Google Analytics bevatten cid (4 van de 4)') });
    const [en] = citePromises(seen, 'en', 'Europe/Amsterdam');
    expect(en).toMatchObject({ rendering: catalog.promises[0]!.en, date: '3 March 2027', evidence: expect.stringContaining('Google Analytics hits carried cid (4 of 4)') });
  });

  it.each(['nl', 'en'] as const)('an objection in %s cites them as grounds; other requests do not', (language) => {
    const brokenPromises = citePromises(latestBrokenPromises(VISITS), language, 'Europe/Amsterdam');
    const input = { language, shop: catalog.shop, customer, identifiers: [], recipientsSeen: [], dueDate: '3 april 2027', brokenPromises };
    const objection = composeLetter({ ...input, type: 'objection' }).body;
    expect(objection).toContain(language === 'nl' ? 'Uw privacybeleid doet beloften die uw website niet nakomt.' : 'Your privacy policy makes promises that your website does not keep.');
    expect(objection).toContain(`"${catalog.promises[0]!.quote}"`);
    expect(objection).toContain(language === 'nl' ? 'Op 3 maart 2027 (www.mijnliefsteboek.nl/): Meta Pixel kreeg PageView (2×)' : 'On 3 March 2027 (www.mijnliefsteboek.nl/): Meta Pixel received PageView (2×)');
    expect(objection).toContain(language === 'nl' ? 'Ook daarom maak ik bezwaar.' : 'This too is why I object.');
    expect(composeLetter({ ...input, type: 'access' }).body).not.toContain(catalog.promises[0]!.quote);
    expect(composeLetter({ ...input, type: 'objection', brokenPromises: [] }).body).not.toContain('Ook daarom');
  });

  it.each(['dpo-complaint', 'authority-complaint'] as const)('a %s cites the other broken promises, the reminder does not', (step) => {
    const request: RightsRequestRecord = { id: 'r', type: 'access', channel: 'email-dpo', language: 'nl', sentAt: T0, timeZone: 'Europe/Amsterdam', subject: 's', body: 'Mijn verzoek.', recipient: 'dpo@mybestbook.com', status: 'sent', followUps: [], notes: '', updatedAt: T0 };
    const brokenPromises = citePromises(latestBrokenPromises(VISITS, { except: ['answer-within-a-month'] }), 'nl', 'Europe/Amsterdam');
    const input = { request, shop: catalog.shop, customer, language: 'nl' as const, sentDate: '3 maart 2027', dueDate: '3 april 2027', history: [], brokenPromises };
    const complaint = composeFollowUp({ ...input, step }).body;
    expect(complaint).toContain('Het privacybeleid van Mijn Liefste Boek ApS doet beloften die de website niet nakomt.');
    expect(complaint).toContain('Meta Pixel kreeg PageView (2×)');
    expect(complaint).not.toContain('binnen een maand op jouw verzoek');
    expect(composeFollowUp({ ...input, step: 'reminder' }).body).not.toContain('doet beloften');
  });
});
