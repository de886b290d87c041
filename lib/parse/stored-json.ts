/**
 * What the extension keeps in session storage as JSON text (a tab's state, the log's journal rows),
 * read back: the parsed value, or undefined when it is not such a text. Still only a value: each
 * reader checks its shape with its own schema, as with any input.
 */
export function readStoredJson(stored: unknown): unknown {
  if (typeof stored !== 'string') return undefined;
  try {
    return JSON.parse(stored) as unknown;
  } catch {
    return undefined;
  }
}
