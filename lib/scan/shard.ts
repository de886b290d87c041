import { urlKey } from '../observe/reconcile';

export interface Shard {
  /** From 1. */
  index: number;
  count: number;
}

/**
 * The URLs of one shard of a site scan (`--shard i/n`): the list ordered by a hash of each URL, then dealt
 * round-robin. Every machine that found the same list takes the same, disjoint part of it, whatever order
 * it found the URLs in, and the parts differ in size by one at most. Each URL keeps its place in the
 * whole list (`position`), so merged shards come back in the site's order.
 */
export function pickShard(urls: readonly string[], shard: Shard | undefined): { url: string; position: number }[] {
  const all = urls.map((url, position) => ({ url, position }));
  if (!shard || shard.count === 1) return all;
  const dealt = [...all].sort((a, b) => compare(urlKey(a.url), urlKey(b.url)) || compare(a.url, b.url));
  return dealt.filter((_, rank) => rank % shard.count === shard.index - 1).sort((a, b) => a.position - b.position);
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
