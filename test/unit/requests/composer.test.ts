import { describe, expect, it } from 'vitest';
import { answerDue, REQUEST_TYPES, type RightsRequestRecord } from '@/lib/requests';
import { createComposer } from '@/lib/requests/composer';

/** The composer's browser: storage that keeps nothing, messages that go nowhere. */
function fakeBrowser() {
  return {
    storage: { local: { get: async () => ({}), set: async () => undefined, remove: async () => undefined } },
    runtime: { sendMessage: async () => true },
  } as never;
}

/** A composer whose clock the test moves, and the requests it records. */
async function composerAt(start: string, initialType: (typeof REQUEST_TYPES)[number] = 'access') {
  let now = Date.parse(start);
  const saved: RightsRequestRecord[] = [];
  const db = { rightsRequests: { put: async (r: RightsRequestRecord) => void saved.push(r) } } as never;
  const c = createComposer({ browser: fakeBrowser(), db, initialType, letterLanguage: 'nl', now: () => now, timeZone: 'Europe/Amsterdam' });
  await c.ready;
  c.name.value = 'Sanne de Vries';
  c.email.value = 'sanne+mlb@voorbeeld.nl';
  c.changed();
  return { c, saved, setNow: (at: string) => void (now = Date.parse(at)) };
}

describe('the composer’s deadline', () => {
  it('counts from the day the request leaves, not the day the page opened', async () => {
    // Opened Monday 14 June 2027 at 23:50 in Amsterdam; sent at 00:10 on the Tuesday.
    const { c, saved, setNow } = await composerAt('2027-06-14T21:50:00Z');
    expect(c.due.value).toBe('2027-07-14');
    expect(c.body.value).toContain('14 juli 2027');
    setNow('2027-06-14T22:10:00Z');
    await c.confirmSent();
    expect(answerDue(saved[0]!.sentAt, 'Europe/Amsterdam')).toBe('2027-07-15');
    expect(c.due.value).toBe('2027-07-15');
    expect(saved[0]!.body).toContain('15 juli 2027');
    expect(saved[0]!.body).not.toContain('14 juli 2027');
  });

  it('moves only the date in a letter edited by hand', async () => {
    const { c, setNow } = await composerAt('2027-06-14T21:50:00Z');
    c.body.value = `${c.body.value}\nPS: mijn eigen zin.`;
    c.edited.value = true;
    setNow('2027-06-14T22:10:00Z');
    const mail = await c.prepareMail();
    expect(c.body.value).toContain('PS: mijn eigen zin.');
    expect(c.body.value).toContain('15 juli 2027');
    expect(c.body.value).not.toContain('14 juli 2027');
    expect(decodeURIComponent(mail!.mailto)).toContain('15 juli 2027');
  });

  it('leaves the letter alone while the day stays the same', async () => {
    const { c, setNow } = await composerAt('2027-06-14T08:00:00Z');
    c.body.value = 'Mijn eigen brief.';
    c.edited.value = true;
    setNow('2027-06-14T20:00:00Z');
    c.tick();
    expect(c.body.value).toBe('Mijn eigen brief.');
  });
});

describe('the composer’s channel', () => {
  it('sends access through the shop’s form and every other right to the policy’s contact address', async () => {
    for (const type of REQUEST_TYPES) {
      const { c } = await composerAt('2027-06-14T10:00:00Z', type);
      if (type === 'access') expect(c.channel.value).toBe('shop-form');
      // The policy sends objections, corrections and a withdrawn consent to its contact details, and
      // keeps the data-protection contact for complaints, the step after an unanswered request.
      else expect(c.recipient.value).toBe('info@mijnliefsteboek.nl');
    }
  });
});
