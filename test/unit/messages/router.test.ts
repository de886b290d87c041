import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { createMessageRouter, type Sender } from '@/lib/messages';
import { MESSAGE_REFUSED } from '@/lib/messages/answers';
import { isShopUrl } from '@/lib/catalog/shop-domains';

const EXTENSION_ID = 'abcdefghijklmnopabcdefghijklmnop';
const BASE = `chrome-extension://${EXTENSION_ID}/`;
const SHOP_TAB: Sender = { id: EXTENSION_ID, url: 'https://www.mijnliefsteboek.nl/', frameId: 0, tab: { id: 4 } };
const VALID = { type: 'page-resources', page: '0123456789abcdef', resources: [{ url: 'https://static.hotjar.com/c/hotjar-1.js', initiatorType: 'script', startTime: 3.5, seq: 1 }], pageStart: 1_764_000_000_000 };

function makeRouter() {
  const onContent = vi.fn();
  const router = createMessageRouter({ extensionId: EXTENSION_ID, extensionBaseUrl: BASE, isShopUrl, onContent, onExtensionPage: async () => 'ok', now: () => 1 });
  return { router, onContent };
}

describe('message router', () => {
  it('passes a valid content-script message from the top frame of a shop page', () => {
    const { router, onContent } = makeRouter();
    router.route(VALID, SHOP_TAB);
    // With the page's address as the browser gives it: a report of a page whose request was not seen begins its visit.
    expect(onContent).toHaveBeenCalledWith(4, VALID, SHOP_TAB.url, undefined);
    expect(router.diagnostics().droppedMessages).toBe(0);
  });

  it('passes the sending document Chromium names, and leaves out one that is not an id, without dropping the message', () => {
    const { router, onContent } = makeRouter();
    for (const documentId of ['A1B2C3D4E5F60718293A4B5C6D7E8F90', 'x'.repeat(64)]) {
      router.route(VALID, { ...SHOP_TAB, documentId });
      expect(onContent).toHaveBeenLastCalledWith(4, VALID, SHOP_TAB.url, documentId);
    }
    for (const odd of ['', 'x'.repeat(65), 42, { id: 'A1B2C3D4E5F60718293A4B5C6D7E8F90' }]) {
      router.route(VALID, { ...SHOP_TAB, documentId: odd });
      expect(onContent).toHaveBeenLastCalledWith(4, VALID, SHOP_TAB.url, undefined);
    }
    expect(router.diagnostics().droppedMessages).toBe(0);
  });

  it.each<[string, unknown, Sender]>([
    ['another extension', VALID, { ...SHOP_TAB, id: 'other' }],
    ['a sub-frame', VALID, { ...SHOP_TAB, frameId: 3 }],
    ['a page outside the shop', VALID, { ...SHOP_TAB, url: 'https://mijnliefsteboek.nl.evil.example/' }],
    ['a tab without id', VALID, { ...SHOP_TAB, tab: {} }],
    ['an unknown type', { type: 'delete-everything' }, SHOP_TAB],
    ['extra keys', { ...VALID, extra: 1 }, SHOP_TAB],
    ['too many resources', { ...VALID, resources: Array.from({ length: 501 }, () => VALID.resources[0]) }, SHOP_TAB],
    ['an oversized URL', { ...VALID, resources: [{ ...VALID.resources[0], url: 'x'.repeat(20_000) }] }, SHOP_TAB],
    ['a negative time', { ...VALID, resources: [{ ...VALID.resources[0], startTime: -1 }] }, SHOP_TAB],
    ['NaN time', { ...VALID, resources: [{ ...VALID.resources[0], startTime: Number.NaN }] }, SHOP_TAB],
    ['a report without its page', { type: 'page-resources', resources: VALID.resources, pageStart: VALID.pageStart }, SHOP_TAB],
    ['a report without its page’s start', { type: 'page-resources', page: VALID.page, resources: VALID.resources }, SHOP_TAB],
    ['a page’s start that is not a time', { ...VALID, pageStart: Number.POSITIVE_INFINITY }, SHOP_TAB],
    ['an entry numbered 0', { ...VALID, resources: [{ ...VALID.resources[0], seq: 0 }] }, SHOP_TAB],
    ['a page id that is not hex', { ...VALID, page: '<script>alert(1)' }, SHOP_TAB],
    ['a prototype-pollution key', JSON.parse('{"type":"page-resources","resources":[],"__proto__":{"polluted":true}}'), SHOP_TAB],
    ['null', null, SHOP_TAB],
    ['a string', 'page-resources', SHOP_TAB],
    ['a page message from a content script', { type: 'get-diagnostics' }, SHOP_TAB],
    ['a content message from an unknown context', VALID, { id: EXTENSION_ID, url: 'https://evil.example/' }],
  ])('drops and counts a message from %s, and says so to its sender', async (_label, message, sender) => {
    const { router, onContent } = makeRouter();
    // In so many words: an answer of nothing is what a content script sends again (lib/messages/answers.ts).
    await expect(router.route(message, sender)).resolves.toBe(MESSAGE_REFUSED);
    expect(onContent).not.toHaveBeenCalled();
    expect(router.diagnostics().droppedMessages).toBe(1);
    expect(router.diagnostics().lastDropReason).toBeTruthy();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers the extension pages, also when one is open in a tab', async () => {
    const { router } = makeRouter();
    await expect(router.route({ type: 'get-diagnostics' }, { id: EXTENSION_ID, url: `${BASE}popup.html` })).resolves.toMatchObject({ droppedMessages: 0 });
    await expect(router.route({ type: 'get-diagnostics' }, { id: EXTENSION_ID, url: `${BASE}popup.html?tabId=3`, tab: { id: 9 }, frameId: 0 })).resolves.toMatchObject({ droppedMessages: 0 });
    await expect(router.route(VALID, { id: EXTENSION_ID, url: `${BASE}popup.html`, tab: { id: 9 }, frameId: 0 })).resolves.toBe(MESSAGE_REFUSED);
    expect(router.diagnostics().droppedMessages).toBe(1);
  });

  it('never throws, whatever arrives from whom (fuzzed)', () => {
    const sender = fc.record(
      { id: fc.oneof(fc.constant(EXTENSION_ID), fc.string()), url: fc.oneof(fc.constant(SHOP_TAB.url!), fc.webUrl(), fc.string()), frameId: fc.integer(), tab: fc.option(fc.record({ id: fc.integer() }), { nil: undefined }) },
      { requiredKeys: [] },
    );
    const message = fc.oneof(
      fc.anything(),
      fc.record({ type: fc.constant('page-resources'), page: fc.string(), resources: fc.array(fc.record({ url: fc.string(), initiatorType: fc.string(), startTime: fc.double(), seq: fc.integer() }, { requiredKeys: [] }), { maxLength: 20 }) }, { requiredKeys: ['type'] }),
    );
    fc.assert(
      fc.property(message, sender, (raw, from) => {
        const { router } = makeRouter();
        expect(() => router.route(raw, from as Sender)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });
});
