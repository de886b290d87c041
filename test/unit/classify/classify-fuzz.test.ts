import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalog, ruleHosts } from '@/lib/catalog';
import { createClassifier } from '@/lib/classify';

const { classifyUrl } = createClassifier();

describe('classifyUrl, fuzzed', () => {
  it('never throws, and always answers one of the four parties', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string().map((s) => `https://${s}`)), (url) => {
        expect(['shop', 'listed', 'unlisted', 'not-web']).toContain(classifyUrl(url).party);
      }),
      { numRuns: 5000 },
    );
  });

  it('files any subdomain of a catch-all catalog host under that entry, and nothing that merely ends in its name', () => {
    const catchAll = catalog.entries.flatMap((e) => e.hosts.filter((h) => h.path === undefined && h.observeBy === 'network').flatMap((h) => ruleHosts(h).map((host) => ({ host, id: e.id }))));
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
    fc.assert(
      fc.property(fc.constantFrom(...catchAll), label, fc.webPath(), (rule, sub, path) => {
        const inside = classifyUrl(`https://${sub}.${rule.host}${path.startsWith('/') ? path : `/${path}`}`);
        // A more specific catalog host under it may claim the URL first (stats.g.doubleclick.net).
        expect(inside.party).toBe('listed');
        const lookalike = classifyUrl(`https://${sub}${rule.host}.evil.example/`);
        expect(lookalike.party).toBe('unlisted');
      }),
      { numRuns: 3000 },
    );
  });
});
