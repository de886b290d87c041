// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { fillDataRequestForm } from '../../../lib/requests/form-filler';

const SELECTOR = '#email';
const noPause = async () => undefined;

/** The background's answers, one per ask, in order; counts the asks. */
function answers(...given: (() => Promise<unknown>)[]) {
  let asked = 0;
  return {
    ask: () => given[Math.min(asked++, given.length - 1)]!(),
    asked: () => asked,
  };
}

describe('the data-request form filler', () => {
  beforeEach(() => {
    document.body.innerHTML = '<form><input id="email" type="email"></form>';
  });
  const field = () => document.querySelector<HTMLInputElement>(SELECTOR)!;

  it('fills in the address the background hands over, and submits nothing', async () => {
    let submitted = false;
    document.querySelector('form')!.addEventListener('submit', () => (submitted = true));
    const background = answers(async () => ({ email: 'klant@example.nl' }));
    expect(await fillDataRequestForm({ selector: SELECTOR, ask: background.ask, pause: noPause })).toBe(true);
    expect(field().value).toBe('klant@example.nl');
    expect(submitted).toBe(false);
    expect(background.asked()).toBe(1);
  });

  it('asks again when the answer is lost (nothing, or a failed ask), and fills in the second answer', async () => {
    const background = answers(
      async () => undefined,
      async () => Promise.reject(new Error('Could not establish connection. Receiving end does not exist.')),
      async () => ({ email: 'klant@example.nl' }),
    );
    expect(await fillDataRequestForm({ selector: SELECTOR, ask: background.ask, pause: noPause })).toBe(true);
    expect(field().value).toBe('klant@example.nl');
    expect(background.asked()).toBe(3);
  });

  it('gives up after three lost answers, and leaves the field as it was', async () => {
    const background = answers(async () => undefined);
    expect(await fillDataRequestForm({ selector: SELECTOR, ask: background.ask, pause: noPause })).toBe(false);
    expect(background.asked()).toBe(3);
    expect(field().value).toBe('');
  });

  it('fills nothing on a "no fill" answer or a refusal, and asks once', async () => {
    for (const answer of [null, 'refused', { email: 42 }, {}]) {
      const background = answers(async () => answer);
      expect(await fillDataRequestForm({ selector: SELECTOR, ask: background.ask, pause: noPause })).toBe(false);
      expect(background.asked()).toBe(1);
      expect(field().value).toBe('');
    }
  });

  it('does not ask at all on a page without the form', async () => {
    document.body.innerHTML = '<p>Bedankt voor je bestelling</p>';
    const background = answers(async () => ({ email: 'klant@example.nl' }));
    expect(await fillDataRequestForm({ selector: SELECTOR, ask: background.ask, pause: noPause })).toBe(false);
    expect(background.asked()).toBe(0);
  });
});
