import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GppModel } from '@iabgpp/cmpapi';
import { parseCookiebot, parseCookieInformation, parseGppString, parseOneTrust, parseTcString, readConsentCookies } from '@/lib/consent';
import { gppSectionIds } from '@/lib/consent/readers/gpp';
import { recordFromTcf } from '@/lib/consent/readers/tcf';
import { cookieInformation as cookieInformationValue } from '../har/build';

/** A real-format Cookie Information value, chosen at a fixed moment unless told. */
const cookieInformation = (approved: string[], denied: string[], timestamp = '2026-11-20T13:57:13.949Z') => cookieInformationValue(approved, denied, timestamp);

const ALL = ['cookie_cat_necessary', 'cookie_cat_functional', 'cookie_cat_statistic', 'cookie_cat_marketing', 'cookie_cat_unclassified'];

describe('Cookie Information', () => {
  it('reads accept-all', () => {
    expect(parseCookieInformation(cookieInformation(ALL, []))).toEqual({
      source: 'cookie-information',
      decidedAt: Date.parse('2026-11-20T13:57:13.949Z'),
      granted: ['necessary', 'functional', 'statistics', 'marketing', 'unclassified'],
      denied: [],
    });
  });

  it('reads statistics only', () => {
    const record = parseCookieInformation(cookieInformation(['cookie_cat_necessary', 'cookie_cat_statistic'], ['cookie_cat_functional', 'cookie_cat_marketing', 'cookie_cat_unclassified']));
    expect(record?.granted).toEqual(['necessary', 'statistics']);
    expect(record?.denied).toEqual(['functional', 'marketing', 'unclassified']);
  });

  it('reads an unencoded value and one without a timestamp', () => {
    const plain = decodeURIComponent(cookieInformation(['cookie_cat_necessary'], ['cookie_cat_marketing']));
    expect(parseCookieInformation(plain)?.denied).toEqual(['marketing']);
    const noTime = encodeURIComponent(JSON.stringify({ consents_approved: ['cookie_cat_necessary'], consents_denied: [] }));
    expect(parseCookieInformation(noTime)?.decidedAt).toBeNull();
  });

  it('never grants a category the record both approves and denies', () => {
    const record = parseCookieInformation(cookieInformation(['cookie_cat_marketing'], ['cookie_cat_marketing']));
    expect(record?.granted).toEqual([]);
    expect(record?.denied).toEqual(['marketing']);
  });

  it.each([
    ['garbage', 'x'.repeat(4096)],
    ['truncated JSON', cookieInformation(ALL, []).slice(0, 120)],
    ['wrong types', encodeURIComponent(JSON.stringify({ consents_approved: 'cookie_cat_marketing' }))],
    ['a number', '42'],
    ['prototype pollution', encodeURIComponent('{"__proto__":{"consents_approved":["cookie_cat_marketing"]},"constructor":{"prototype":{"x":1}}}')],
    ['oversized', cookieInformation([...ALL, ...Array.from({ length: 2000 }, () => 'cookie_cat_marketing')], [])],
    ['bad escape', '%E0%A4%A'],
  ])('gives null (unknown) for %s', (_label, value) => {
    expect(parseCookieInformation(value)).toBeNull();
    expect(({} as Record<string, unknown>).consents_approved).toBeUndefined();
  });
});

describe('Cookiebot', () => {
  it('reads a real-format explicit choice', () => {
    const value = encodeURIComponent("{stamp:'iL9j4mMZ0hb3WeA==',necessary:true,preferences:false,statistics:true,marketing:false,method:'explicit',ver:7,utc:1731969341591,region:'nl'}");
    expect(parseCookiebot(value)).toEqual({ source: 'cookiebot', decidedAt: 1731969341591, granted: ['necessary', 'statistics'], denied: ['functional', 'marketing'] });
  });

  it.each([['-1'], ['{}'], ["{stamp:'x',necessary:true}"], ["{necessary:true,preferences:'true',statistics:true,marketing:true}"], ['{__proto__:true,necessary:true}'], ['x'.repeat(9000)]])('gives null for %s', (value) => {
    expect(parseCookiebot(value)).toBeNull();
  });
});

describe('OneTrust', () => {
  const consent = 'isGpcEnabled=0&datestamp=Wed+Jan+29+2025+10%3A05%3A33+GMT%2B0400&version=202409.1.0&browserGpcFlag=0&isIABGlobal=false&hosts=&consentId=9fddc8b1-0000&interactionCount=1&isAnonUser=1&landingPath=NotLandingPage&groups=C0003%3A0%2CC0004%3A0%2CC0002%3A1%2CC0001%3A1';

  it('reads groups and the moment the box was closed', () => {
    expect(parseOneTrust(consent, '2025-01-29T06:05:33.000Z')).toEqual({ source: 'onetrust', decidedAt: Date.parse('2025-01-29T06:05:33.000Z'), granted: ['necessary', 'statistics'], denied: ['functional', 'marketing'] });
  });

  it('treats defaults before any interaction as no choice', () => {
    expect(parseOneTrust(consent.replace('interactionCount=1', 'interactionCount=0'), null)).toBeNull();
  });

  it.each([['groups='], ['interactionCount=1'], ['%%%'], ['x'.repeat(9000)]])('gives null for %s', (value) => {
    expect(parseOneTrust(value)).toBeNull();
  });
});

describe('TCF', () => {
  // Encoded with @iabtcf/core (purposes 1, 7, 8, 9, 10 consented), as a CMP would.
  const statisticsOnly = 'CQuPXIAQuPXIAAKACAENCWFgAIPAAAAAAAZQAAAAAAAA.YAAAAAAAAAAA';
  // The TCF 2.3 specification's own example: no purpose consented.
  const specExample = 'CQSbk4AQSbk4ANwAAAENAwCgAAAAAAAAAAYgACPAAAAA.IDKQA4AAgAKAGQAygAAA.YAAAAAAAAAAA';

  it('decodes the purposes into our categories', () => {
    expect(parseTcString(statisticsOnly)).toEqual({ source: 'tcf', decidedAt: null, granted: ['necessary', 'functional', 'statistics'], denied: ['marketing'], vendors: { consents: [], objections: [755, 1126] } });
    expect(parseTcString(specExample)).toMatchObject({ source: 'tcf', decidedAt: null, granted: ['necessary'], denied: ['functional', 'statistics', 'marketing'] });
  });

  it('keeps the consents of the catalog’s own vendors (Google 755, Microsoft 1126), and only theirs', () => {
    // The EU section of a GPP string is a TC string's core segment in the same encoding: made with
    // the IAB's GPP library here because @iabtcf/core will not encode without a downloaded vendor list.
    const model = new GppModel();
    model.setFieldValue('tcfeuv2', 'CmpId', 31);
    model.setFieldValue('tcfeuv2', 'PurposeConsents', Array.from({ length: 24 }, (_, i) => [1, 3, 4, 7, 8, 9, 10].includes(i + 1)));
    model.setFieldValue('tcfeuv2', 'VendorConsents', [32, 91, 755]);
    model.setFieldValue('tcfeuv2', 'VendorLegitimateInterests', [755, 1126]);
    const record = parseTcString(model.encode().split('~')[1]!);
    expect(record).toMatchObject({ granted: ['necessary', 'functional', 'statistics', 'marketing'], vendors: { consents: [755], objections: [] } });
  });

  it.each([[''], ['not a tc string!'], ['CQSbk4'], ['A'.repeat(20_000)], ['BOEFEAyOEFEAyAHABDENAI4AAAB9vABAASA']])('gives null for %s', (value) => {
    expect(parseTcString(value)).toBeNull();
  });
});

describe('IAB GPP strings (the EU section tcfeuv2)', () => {
  /** A GPP string as a CMP writes it, encoded with the IAB's own library. */
  function gpp(purposes: number[], vendors: number[], interests: number[] = []) {
    const model = new GppModel();
    model.setFieldValue('tcfeuv2', 'CmpId', 31);
    model.setFieldValue('tcfeuv2', 'PurposeConsents', Array.from({ length: 24 }, (_, i) => purposes.includes(i + 1)));
    model.setFieldValue('tcfeuv2', 'VendorConsents', vendors);
    model.setFieldValue('tcfeuv2', 'VendorLegitimateInterests', interests);
    return model.encode();
  }

  it('reads purposes and the catalog’s vendors, like a TC string', () => {
    expect(parseGppString(gpp([1, 3, 4, 8], [755, 1126], [755]))).toEqual({
      source: 'gpp',
      decidedAt: null,
      granted: ['necessary', 'functional', 'statistics', 'marketing'],
      denied: [],
      vendors: { consents: [755, 1126], objections: [1126] },
    });
    expect(parseGppString(gpp([1], []))).toMatchObject({ granted: ['necessary', 'functional'], denied: ['statistics', 'marketing'], vendors: { consents: [] } });
  });

  it.each([[''], ['DBABMA~garbage'], ['DBABMA'], ['not gpp'], ['DBABMA~'.padEnd(20_000, 'A')]])('gives null for %j', (value) => {
    expect(parseGppString(value)).toBeNull();
  });

  // The header is read by our own code (lib/consent/readers/gpp.ts); the IAB's GPP library, which the
  // extension no longer bundles, is the oracle: it writes the strings and says what they hold.
  const US_SECTIONS = ['tcfcav1', 'uspv1', 'usnat', 'usca', 'usva', 'usco', 'usut', 'usct', 'usfl', 'usmt', 'usor', 'ustx', 'usde', 'usia', 'usne', 'usnh', 'usnj', 'ustn', 'usmn'] as const;
  const gppStrings = fc
    .record({
      eu: fc.boolean(),
      others: fc.subarray([...US_SECTIONS]),
      purposes: fc.subarray(Array.from({ length: 24 }, (_, i) => i + 1)),
      vendors: fc.uniqueArray(fc.integer({ min: 1, max: 1500 }), { maxLength: 12 }).map((ids) => [...ids, ...(ids.length % 2 ? [755] : [1126])].sort((a, b) => a - b)),
      interests: fc.uniqueArray(fc.constantFrom(755, 1126, 32, 91), { maxLength: 3 }),
    })
    .filter(({ eu, others }) => eu || others.length > 0)
    .map(({ eu, others, purposes, vendors, interests }) => {
      const model = new GppModel();
      if (eu) {
        model.setFieldValue('tcfeuv2', 'CmpId', 31);
        model.setFieldValue('tcfeuv2', 'PurposeConsents', Array.from({ length: 24 }, (_, i) => purposes.includes(i + 1)));
        model.setFieldValue('tcfeuv2', 'VendorConsents', vendors);
        model.setFieldValue('tcfeuv2', 'VendorLegitimateInterests', [...interests].sort((a, b) => a - b));
      }
      for (const section of others) model.setFieldValue(section, 'Version', 1);
      return model.encode();
    });

  it('reads every header the IAB library writes, ranges of ids included, as that library does', () => {
    fc.assert(
      fc.property(gppStrings, (value) => {
        expect(gppSectionIds(value.split('~')[0]!)).toEqual(new GppModel(value).getSectionIds());
      }),
      { numRuns: 300 },
    );
  });

  it('finds the same choice in the EU section as the IAB library does', () => {
    fc.assert(
      fc.property(gppStrings, (value) => {
        const oracle = new GppModel(value);
        const record = parseGppString(value);
        if (!oracle.hasSection('tcfeuv2')) {
          expect(record).toBeNull();
          return;
        }
        const purposes = oracle.getFieldValue('tcfeuv2', 'PurposeConsents') as boolean[];
        const vendors = oracle.getFieldValue('tcfeuv2', 'VendorConsents') as number[];
        const interests = oracle.getFieldValue('tcfeuv2', 'VendorLegitimateInterests') as number[];
        const expected = recordFromTcf('gpp', {
          purposeConsents: new Set(purposes.flatMap((yes, i) => (yes ? [i + 1] : []))),
          vendorConsent: (id) => vendors.includes(id),
          vendorLegitimateInterest: (id) => interests.includes(id),
        });
        expect(record).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['a header of another type', 'EBABMA~CQujIwAQujIwAAfAAAENAAFgAAAAAAAAAAAAAAAAAAAA.IAAA.YAAAAAAAAAAA'],
    ['fewer sections than the header lists', 'DBACONg~CQujIwAQujIwAAfAAAENAAFgAAAAAAAAAAAAAAAAAAAA.IAAA.YAAAAAAAAAAA'],
    ['a header cut short', 'DBA~CQujIwAQujIwAAfAAAENAAFgAAAAAAAAAAAAAAAAAAAA'],
  ])('gives null for %s', (_, value) => {
    expect(parseGppString(value)).toBeNull();
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.stringMatching(/^D[A-Za-z0-9_-]{2,12}~[A-Za-z0-9_.-]{0,200}$/)), (value) => {
        const record = parseGppString(value);
        if (record) expect(record.granted.filter((c) => record.denied.includes(c))).toEqual([]);
      }),
      { numRuns: 500 },
    );
  }, 15_000);
});

describe('every reader on hostile input', () => {
  const readers = [
    ['Cookie Information', (v: string) => parseCookieInformation(v)],
    ['Cookiebot', (v: string) => parseCookiebot(v)],
    ['OneTrust', (v: string) => parseOneTrust(v, v)],
    ['TCF', (v: string) => parseTcString(v)],
    ['GPP', (v: string) => parseGppString(v)],
  ] as const;

  const hostile = fc.oneof(
    fc.string({ maxLength: 5000 }),
    fc.json().map((j) => encodeURIComponent(j)),
    fc.anything().map((a) => {
      try {
        return JSON.stringify(a) ?? '';
      } catch {
        return '';
      }
    }),
    fc.record({ consents_approved: fc.array(fc.string()), consents_denied: fc.anything() }).map((o) => encodeURIComponent(JSON.stringify(o))),
  );

  for (const [name, read] of readers) {
    it(`${name} never throws and never grants marketing from random input`, () => {
      fc.assert(
        fc.property(hostile, (value) => {
          const record = read(value);
          // Random text can be a valid record only by spelling one out; marketing is never granted by accident.
          if (record && !value.includes('marketing') && !value.includes('C000') && name !== 'TCF') expect(record.granted).not.toContain('marketing');
        }),
        { numRuns: 3000 },
      );
    });
  }

  it('reads the first banner present among the cookies', () => {
    const cookies = new Map([
      ['CookieInformationConsent', cookieInformation(['cookie_cat_necessary'], ['cookie_cat_marketing'])],
      ['CookieConsent', "{necessary:true,preferences:true,statistics:true,marketing:true,utc:1}"],
    ]);
    expect(readConsentCookies(cookies)?.source).toBe('cookie-information');
    expect(readConsentCookies(new Map())).toBeNull();
  });
});
