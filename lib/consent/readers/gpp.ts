import type { ConsentRecord } from '../model';
import { decodeTcfChoice, recordFromTcf } from './tcf';

/** GPP strings hold a header and one segment per section; a few kB at most. */
const MAX_GPP_STRING_LENGTH = 16_384;
/** GPP's section id of the EU TCF v2 section (`tcfeuv2`). */
const TCF_EU_V2 = 2;
/** The IAB lists some twenty sections; a header naming more than this many is not a real one. */
const MAX_SECTIONS = 64;
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * An IAB GPP string (Global Privacy Platform): a header, then one `~`-separated section per id the
 * header lists, in its order. Its only EU section is `tcfeuv2` (id 2), which is a TC string, core
 * segment and all, in the same encoding: it is decoded with the IAB's TCF library, as a TC string is.
 * The US sections (opt-outs of sale under state laws) say nothing about a Dutch customer's consent,
 * so a string without the EU section is no record here.
 *
 * The header is read here rather than with the IAB's GPP library: that library brings every section's
 * encoder and decoder (126 kB minified), which the worker compiled on every start to read one list of
 * ids. test/unit/consent/readers.test.ts holds this reader to that library on generated strings.
 */
export function parseGppString(raw: string, gvlIds?: readonly number[]): ConsentRecord | null {
  if (raw.length === 0 || raw.length > MAX_GPP_STRING_LENGTH || !/^[A-Za-z0-9_\-.~]+$/.test(raw)) return null;
  const [header = '', ...sections] = raw.split('~');
  const ids = gppSectionIds(header);
  if (ids === null || ids.length !== sections.length) return null;
  const index = ids.indexOf(TCF_EU_V2);
  if (index < 0) return null;
  const choice = decodeTcfChoice(sections[index]!);
  return choice && recordFromTcf('gpp', choice, gvlIds);
}

/**
 * The section ids a GPP v1 header lists, or null when it is not one. The header is base64url, six
 * bits a character: the type (6 bits, 3 for a header), the version (6 bits, 1), then the ids as a
 * Fibonacci integer range: a 12-bit count, and per item a bit saying whether it is a range, then one
 * (or, for a range, two) Fibonacci-coded numbers, each counted up from the one before.
 */
export function gppSectionIds(header: string): number[] | null {
  const bits = new BitReader(header);
  if (bits.int(6) !== 3 || bits.int(6) !== 1) return null;
  const count = bits.int(12);
  if (count === null || count > MAX_SECTIONS) return null;
  const ids: number[] = [];
  let last = 0;
  for (let i = 0; i < count; i++) {
    const isRange = bits.int(1);
    const first = bits.fibonacci();
    if (isRange === null || first === null) return null;
    let end = (last += first);
    if (isRange === 1) {
      const span = bits.fibonacci();
      if (span === null) return null;
      end = last + span;
    }
    if (ids.length + (end - last) + 1 > MAX_SECTIONS) return null;
    for (let id = last; id <= end; id++) ids.push(id);
    last = end;
  }
  return ids;
}

/** Reads a base64url string bit by bit, most significant first; null once it runs out or on a foreign character. */
class BitReader {
  private position = 0;
  constructor(private readonly text: string) {}

  private bit(): number | null {
    const char = Math.floor(this.position / 6);
    if (char >= this.text.length) return null;
    const value = BASE64URL.indexOf(this.text[char]!);
    if (value < 0) return null;
    return (value >> (5 - (this.position++ % 6))) & 1;
  }

  /** An unsigned integer of `width` bits. */
  int(width: number): number | null {
    let value = 0;
    for (let i = 0; i < width; i++) {
      const bit = this.bit();
      if (bit === null) return null;
      value = value * 2 + bit;
    }
    return value;
  }

  /** A Fibonacci (Zeckendorf) code: bit k weighs the (k+2)th Fibonacci number (1, 2, 3, 5, …); "11" ends it. */
  fibonacci(): number | null {
    let value = 0;
    let previous = 0;
    for (let weight = 1, next = 2, length = 0; length < 32; length++) {
      const bit = this.bit();
      if (bit === null) return null;
      if (bit === 1 && previous === 1) return value;
      if (bit === 1) value += weight;
      previous = bit;
      [weight, next] = [next, weight + next];
    }
    return null;
  }
}
