import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReport } from '../../lib/report';
import { CMP_PLATFORMS } from '../fixtures/shop/cmps';
import { startFixtureShop, type FixtureShop } from '../fixtures/shop/server';
import { scanCommand as scan } from './helpers';

describe('the scan command', () => {
  let shop: FixtureShop;
  let mapAll: string;
  beforeAll(async () => {
    shop = await startFixtureShop();
    mapAll = `127.0.0.1:${shop.port}`;
  });
  afterAll(() => shop?.close());

  it('replays a visit on a local copy under the real host names and exits 0 when the shop respects a refusal', async () => {
    const result = await scan(['https://www.mijnliefsteboek.nl/consent/respectful', '--map-all', mapAll, '--insecure', '--consent', 'reject-all', '--json']);
    expect(result.code).toBe(0);
    const parsed = parseReport(result.stdout);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const page = parsed.report.pages[0]!;
    expect(page.consent).toMatchObject({ source: 'cookie-information', granted: ['necessary'] });
    expect(Object.fromEntries(page.trackers.map((t) => [t.id, t.verdict]))).toEqual({ aws: 'necessary', 'google-tag-manager': 'necessary', 'google-analytics': 'denied-ping' });
    expect(result.stderr).toContain('consent banner: answered (reject-all)');
  });

  it('exits 1 and names the tracker when one fires against the refusal', async () => {
    const result = await scan(['https://www.mijnliefsteboek.nl/consent/meta-ignores-refusal', '--map-all', mapAll, '--insecure', '--consent', 'reject-all']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/Meta Pixel \(Facebook\).*AGAINST CHOICE/);
  });

  it('exits 1 for trackers before the choice when the banner is left unanswered, and 0 once accepted', async () => {
    const unanswered = await scan(['https://www.mijnliefsteboek.nl/', '--map-all', mapAll, '--insecure', '--consent', 'none', '--json']);
    expect(unanswered.code).toBe(1);
    const accepted = await scan(['https://www.mijnliefsteboek.nl/consent/respectful', '--map-all', mapAll, '--insecure', '--consent', 'accept-all', '--json']);
    expect(accepted.code).toBe(0);
    const parsed = parseReport(accepted.stdout);
    expect(parsed.ok && parsed.report.pages[0]!.trackers.find((t) => t.id === 'meta-pixel')?.verdict).toBe('consented');
  });

  it('drives Firefox too: the same verdicts, with --map-all and the banner answered by autoconsent', async () => {
    const result = await scan(['https://www.mijnliefsteboek.nl/consent/meta-ignores-refusal', '--browser', 'firefox', '--map-all', mapAll, '--insecure', '--consent', 'reject-all', '--json']);
    expect(result.stderr).toContain('consent banner: answered (reject-all)');
    expect(result.code).toBe(1);
    const parsed = parseReport(result.stdout);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const page = parsed.report.pages[0]!;
    expect(page.consent).toMatchObject({ source: 'cookie-information', granted: ['necessary'] });
    expect(Object.fromEntries(page.trackers.map((t) => [t.id, t.verdict]))).toMatchObject({ aws: 'necessary', 'meta-pixel': 'against-choice' });
  });

  it.each(CMP_PLATFORMS)('answers %s’s banner with autoconsent’s rule, reads its record, and names the tracker that ignored the refusal', async (platform) => {
    const result = await scan([`https://www.mijnliefsteboek.nl/cmp/${platform}/meta-ignores-refusal`, '--map-all', mapAll, '--insecure', '--consent', 'reject-all', '--json']);
    expect(result.stderr).toContain('consent banner: answered (reject-all)');
    expect(result.code).toBe(1);
    const parsed = parseReport(result.stdout);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const page = parsed.report.pages[0]!;
    expect(page.consent).toMatchObject({ source: platform, from: 'record', banner: platform });
    expect(page.consent.denied).toEqual(expect.arrayContaining(['statistics', 'marketing']));
    expect(page.trackers.find((t) => t.id === 'meta-pixel')?.verdict).toBe('against-choice');
  });

  it('sees server-side tagging, the newer endpoints and the unnamed parties, and says who they are', async () => {
    const result = await scan(
      ['/test/server-side', '/test/endpoints-2026', '/test/unnamed', '/test/cookies-only'].map((path) => `https://www.mijnliefsteboek.nl${path}`).concat(['--map-all', mapAll, '--insecure', '--consent', 'none', '--json']),
    );
    const parsed = parseReport(result.stdout);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const [serverSide, endpoints, unnamed, cookiesOnly] = parsed.report.pages;
    expect(serverSide!.trackers.find((t) => t.id === 'google-analytics')).toMatchObject({
      verdict: 'before-choice',
      relays: [{ host: 'sst.mijnliefsteboek.nl', party: 'shop' }],
      cookies: expect.arrayContaining(['FPID']),
    });
    expect(endpoints!.trackers.map((t) => t.id).sort()).toEqual(['adyen', 'aws', 'google-ads', 'google-analytics', 'meta-pixel', 'microsoft-ads']);
    expect(endpoints!.unlisted).toEqual([]);
    expect(unnamed!.unlisted.find((u) => u.host === 'www.clarity.ms')).toEqual({ host: 'www.clarity.ms', requests: 1, company: 'Microsoft Corporation', country: 'US', purpose: 'session-recording' });
    expect(cookiesOnly!.trackers.find((t) => t.id === 'google-analytics')).toMatchObject({ requests: 0, verdict: 'before-choice', cookieEvidence: { name: '_ga', by: 'script' } });
  });

  it('prints the conflict between the customer’s refusal and what the shop told Google', async () => {
    const result = await scan(['https://www.mijnliefsteboek.nl/cmp/didomi/conflict', '--map-all', mapAll, '--insecure', '--consent', 'reject-all']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/consent-signal-conflict: The customer refused (statistics|marketing) \(didomi\), but the shop told the tags it was granted \(consent-mode\)/);
  });

  it('exits 2 with a message that says what to do', async () => {
    const usage = await scan(['--consent', 'maybe']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--consent: expected accept-all, reject-all or none');
    const unreachable = await scan(['https://www.mijnliefsteboek.nl/', '--map-all', '127.0.0.1:9', '--insecure']);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain('did not load');
  });
});
