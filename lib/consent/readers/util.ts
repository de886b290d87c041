/** Browsers cap a cookie at about 4 kB; anything longer did not come from a real banner. */
export const MAX_CONSENT_COOKIE_LENGTH = 8192;

/** Cookie values are often URL-encoded; a malformed escape leaves the value as it is. */
export function decodeCookieValue(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * JSON.parse that never throws and never hands back prototype-polluting keys: `__proto__`,
 * `constructor` and `prototype` are dropped while parsing.
 */
export function parseJsonSafely(text: string): unknown {
  try {
    return JSON.parse(text, (key, value) => (key === '__proto__' || key === 'constructor' || key === 'prototype' ? undefined : value));
  } catch {
    return undefined;
  }
}
