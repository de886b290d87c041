/** What the popup must show per fixture page: exactly these entries and unlisted hosts, nothing else. */
export const DETECTION_PAGES: { path: string; entries: string[]; unlisted: string[]; badge?: string }[] = [
  { path: '/test/none', entries: [], unlisted: [] },
  { path: '/test/aws', entries: ['aws'], unlisted: [] },
  { path: '/test/google-tag-manager', entries: ['aws', 'google-tag-manager'], unlisted: [] },
  // gtag.js comes from googletagmanager.com: the loader is Tag Manager, the hit is Analytics.
  { path: '/test/google-analytics', entries: ['aws', 'google-analytics', 'google-tag-manager'], unlisted: [] },
  { path: '/test/google-ads', entries: ['aws', 'google-ads'], unlisted: [] },
  { path: '/test/meta-pixel', entries: ['aws', 'meta-pixel'], unlisted: [] },
  { path: '/test/microsoft-ads', entries: ['aws', 'microsoft-ads'], unlisted: [] },
  { path: '/test/trustpilot', entries: ['aws', 'trustpilot'], unlisted: [] },
  { path: '/test/unlisted', entries: ['aws'], unlisted: ['script.hotjar.com', 'static.hotjar.com'] },
  // The shop's own consent banner (Cookie Information) is a third party the policy does not name.
  { path: '/checkout', entries: ['adyen', 'aws'], unlisted: ['policy.app.cookieinformation.com'] },
  {
    path: '/',
    entries: ['aws', 'google-ads', 'google-analytics', 'google-tag-manager', 'meta-pixel', 'microsoft-ads', 'trustpilot'],
    unlisted: ['policy.app.cookieinformation.com', 'script.hotjar.com', 'static.hotjar.com'],
    // The home page fires its trackers while the banner waits: the badge warns.
    badge: '7!',
  },
];

/** The verdicts the popup must show on the careful page (/consent/respectful), per answer to its banner; both browsers. */
export const RESPECTFUL_VERDICTS = {
  // Before any choice, after a refusal, and for Analytics pinged before a later choice: the loader, the host
  // and Google's cookieless pings only.
  cookielessOnly: { aws: 'necessary', 'google-tag-manager': 'necessary', 'google-analytics': 'denied-ping' },
  acceptedAll: {
    aws: 'necessary',
    'google-tag-manager': 'necessary',
    // The pings before the choice stay a warning: a tracker's verdict is its worst request's.
    'google-analytics': 'denied-ping',
    'google-ads': 'consented',
    'meta-pixel': 'consented',
    'microsoft-ads': 'consented',
    trustpilot: 'consented',
  },
} as const satisfies Record<string, Record<string, string>>;
