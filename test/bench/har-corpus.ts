/**
 * A large HAR for the benchmark, made of a real capture: its page loads repeated one after another (times
 * shifted, so the replay sees a long browsing session), until the file reaches the size asked for. Without
 * response bodies this is the hardest case for the judgement per megabyte (the most entries); `bodyBytes`
 * adds a response body to each entry, as "Save all as HAR with content" does.
 */
export function growHar(base: { log: { pages: { id: string; startedDateTime: string }[]; entries: Record<string, unknown>[] } }, targetBytes: number, bodyBytes = 0): string {
  const entries = base.log.entries as { pageref?: string; startedDateTime: string; response: { content?: Record<string, unknown> } }[];
  const first = Math.min(...entries.map((e) => Date.parse(e.startedDateTime)));
  const last = Math.max(...entries.map((e) => Date.parse(e.startedDateTime)));
  const span = last - first + 5_000;
  const body = bodyBytes > 0 ? 'x'.repeat(bodyBytes) : undefined;
  const pages: string[] = [];
  const out: string[] = [];
  let size = 200;
  for (let round = 0; size < targetBytes; round++) {
    const shift = (at: string) => new Date(Date.parse(at) + round * span).toISOString();
    for (const page of base.log.pages) {
      const text = JSON.stringify({ ...page, id: `${page.id}_${round}`, startedDateTime: shift(page.startedDateTime) });
      pages.push(text);
      size += text.length + 1;
    }
    for (const entry of entries) {
      const copy = { ...entry, startedDateTime: shift(entry.startedDateTime), ...(entry.pageref ? { pageref: `${entry.pageref}_${round}` } : {}) };
      if (body) copy.response = { ...entry.response, content: { ...entry.response.content, size: body.length, text: body } };
      const text = JSON.stringify(copy);
      out.push(text);
      size += text.length + 1;
    }
  }
  return `{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[${pages.join(',')}],"entries":[${out.join(',')}]}}`;
}
