// A request's query parameters as URLSearchParams reads them, without building one for every
// request: the classifier reads two or three parameters of a protocol hit, and URLSearchParams splits,
// decodes and stores every pair first (the relays' hits carry a dozen, with escaped page addresses).

export type QueryParams = Pick<URLSearchParams, 'get'>;

/** Characters that URLSearchParams decodes: '%' escapes, '+' for a space, and anything not ASCII. */
const DECODED = /[%+\u0080-\uffff]/;
/** A pair whose name has one of them: the name must be decoded before it can be compared. */
const DECODED_NAME = /(?:^|&)[^=&]*[%+\u0080-\uffff]/;
const NOT_ASCII = /[\u0080-\uffff]/;

/**
 * A query string's (or a form body's) parameters, as URLSearchParams reads them. While no pair's
 * name needs decoding, the pairs are found by scanning the text, and only the value asked for is
 * decoded; otherwise URLSearchParams reads it all. Agreement with URLSearchParams is a property
 * test (test/unit/classify/query.test.ts).
 */
export function readQuery(text: string): QueryParams {
  const pairs = text.charCodeAt(0) === 63 /* ? */ ? text.slice(1) : text; // URLSearchParams drops a leading '?'
  // Regular expressions scan a long query in native code; a loop over its characters was a fifth of
  // a relay hit's time. Most queries have nothing to decode, and the first test settles them.
  if (DECODED.test(pairs) && DECODED_NAME.test(pairs)) return new URLSearchParams(text); // which drops the '?' itself, once
  return new PlainQuery(pairs);
}

/**
 * Every pair of a query string (or a form body), decoded, in order: what iterating URLSearchParams
 * gives, without the object. The worker reads each tracker request's pairs for personal data and the
 * promises' parameters; URLSearchParams is the browser's, and building one and walking its iterator
 * crosses into the browser's code for every pair (BENCHMARKS.md, twenty-eighth stop).
 */
export function queryPairs(text: string): [name: string, value: string][] {
  const pairs = text.charCodeAt(0) === 63 /* ? */ ? text.slice(1) : text;
  const found: [string, string][] = [];
  let equals = pairs.indexOf('=');
  for (let start = 0; start < pairs.length; ) {
    let end = pairs.indexOf('&', start);
    if (end < 0) end = pairs.length;
    if (equals >= 0 && equals < start) equals = pairs.indexOf('=', start); // each '=' found once
    // An empty pair ('&&') is no parameter.
    if (end > start) {
      const nameEnd = equals >= 0 && equals < end ? equals : end;
      found.push([decodeValue(pairs.slice(start, nameEnd)), nameEnd === end ? '' : decodeValue(pairs.slice(nameEnd + 1, end))]);
    }
    start = end + 1;
  }
  return found;
}

class PlainQuery implements QueryParams {
  constructor(private readonly text: string) {}

  /** The value of the first pair named `name` ('' when it has no '='), or null. */
  get(name: string): string | null {
    const text = this.text;
    let equals = text.indexOf('=');
    for (let start = 0; start < text.length; ) {
      let end = text.indexOf('&', start);
      if (end < 0) end = text.length;
      if (equals >= 0 && equals < start) equals = text.indexOf('=', start); // each '=' found once
      const nameEnd = equals >= 0 && equals < end ? equals : end;
      // An empty pair ('&&') is no parameter, not one named ''.
      if (end > start && nameEnd - start === name.length && text.startsWith(name, start)) return nameEnd === end ? '' : decodeValue(text.slice(nameEnd + 1, end));
      start = end + 1;
    }
    return null;
  }
}

/** A name or a value as URLSearchParams decodes it: '+' is a space, then '%' escapes as UTF-8. */
function decodeValue(raw: string): string {
  if (!DECODED.test(raw)) return raw;
  if (!NOT_ASCII.test(raw)) {
    try {
      return decodeURIComponent(raw.includes('+') ? raw.replace(/\+/g, ' ') : raw);
    } catch {
      // A '%' without two hex digits, or escapes that are not UTF-8: URLSearchParams keeps the one
      // and replaces the other, where decodeURIComponent throws.
    }
  }
  // Not ASCII (a lone surrogate becomes U+FFFD there), or not decodable above: URLSearchParams on
  // this one pair.
  return new URLSearchParams(`v=${raw}`).get('v')!;
}
