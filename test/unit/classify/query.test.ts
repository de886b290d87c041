import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queryPairs, readQuery } from '@/lib/classify/query';

// Characters that make URLSearchParams's reading differ from the text: separators, escapes (good
// and broken), '+', a non-ASCII letter, a lone surrogate.
const piece = fc.constantFrom('a', 'b', 'id', 'ev', '=', '&', '?', '+', '%', '%2', '%20', '%3D', '%26', '%2B', '%C3%A9', '%FF', '%E2%82', 'é', '\ud800', ' ', '-');
const query = fc.array(piece, { maxLength: 24 }).map((parts) => parts.join(''));
const name = fc.constantFrom('a', 'b', 'id', 'ev', 'a b', 'a+b', '=', 'é', '');

describe('readQuery', () => {
  it('reads every parameter as URLSearchParams does', () => {
    fc.assert(
      fc.property(query, name, (text, asked) => {
        expect(readQuery(text).get(asked)).toBe(new URLSearchParams(text).get(asked));
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 20_000) },
    );
  });

  it.each([
    ['id=1234567890123456&ev=PageView&dl=https%3A%2F%2Fwww.mijnliefsteboek.nl%2F', 'dl', 'https://www.mijnliefsteboek.nl/'],
    ['ev=Add+To+Cart', 'ev', 'Add To Cart'],
    ['ev=100%', 'ev', '100%'], // a stray '%' stays
    ['ev=%FF', 'ev', '\ufffd'], // not UTF-8
    ['%69d=7&id=8', 'id', '7'], // a name spelt with an escape is still that name
    ['?tid=G-ABC', 'tid', 'G-ABC'],
    ['??é', 'é', null], // one '?' is dropped, not two: the name is '?é'
    ['tid', 'tid', ''],
    ['v=2', 'tid', null],
  ])('%s: %s', (text, asked, expected) => {
    expect(readQuery(text).get(asked)).toBe(expected);
  });
});

describe('queryPairs', () => {
  it('gives every pair, decoded and in order, as iterating URLSearchParams does', () => {
    fc.assert(
      fc.property(query, (text) => {
        expect(queryPairs(text)).toEqual([...new URLSearchParams(text)]);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 20_000) },
    );
  });

  it.each([
    ['id=1&ev=PageView&dl=https%3A%2F%2Fwww.mijnliefsteboek.nl%2F%3Fq%3D1', [['id', '1'], ['ev', 'PageView'], ['dl', 'https://www.mijnliefsteboek.nl/?q=1']]],
    ['ud%5Bem%5D=abc&&cd[x]', [['ud[em]', 'abc'], ['cd[x]', '']]], // a name decoded like a value; '&&' is no pair
    ['?a=1=2&b', [['a', '1=2'], ['b', '']]], // one '?' dropped; a value keeps its later '='
    ['', []],
  ])('%s', (text, expected) => {
    expect(queryPairs(text)).toEqual(expected);
  });
});
