import { pairPageChannel } from './page-channel';

/**
 * Runs in the page's own JavaScript world (a MAIN-world content script), where the consent banner's
 * API lives: IAB TCF's `__tcfapi` and Cookie Information's `window.CookieInformation`. It has no
 * extension API at all: it only passes plain JSON text to the content script through a DOM event
 * whose name the two agreed on before the page's scripts ran (page-channel.ts), and the background
 * validates that text like any other message from a page.
 */
const CI_CATEGORIES = {
  cookie_cat_necessary: 'necessary',
  cookie_cat_functional: 'functional',
  cookie_cat_statistic: 'statistics',
  cookie_cat_marketing: 'marketing',
  cookie_cat_unclassified: 'unclassified',
} as const;

type PageWindow = Window & {
  __tcfapi?: (command: string, version: number, callback: (data: unknown, success: boolean) => void) => void;
  CookieInformation?: { getConsentGivenFor?: (category: string) => unknown };
};

export function startPageConsentReader(win: PageWindow = window as PageWindow) {
  // Taken now, before the page's own scripts run, so that the page cannot swap them under us.
  const stringify = JSON.stringify;
  const dispatch = EventTarget.prototype.dispatchEvent;
  const Custom = CustomEvent;
  const now = Date.now;
  let channel: string | null = null;
  pairPageChannel(win.document, (name) => (channel = name), { dispatch: (event) => dispatch.call(win.document, event), Custom });
  const post = (payload: object) => {
    // Unpaired, the content script is not there to hear it (or the page would be).
    if (channel === null) return;
    try {
      dispatch.call(win.document, new Custom(channel, { detail: stringify({ ...payload, at: now() }) }));
    } catch {
      // The page broke something; there is nothing to report then.
    }
  };

  // TCF: the CMP may define __tcfapi late; look for it for ten seconds.
  let tries = 0;
  const poll = setInterval(() => {
    const api = win.__tcfapi;
    if (typeof api === 'function') {
      clearInterval(poll);
      try {
        api('addEventListener', 2, (data, success) => {
          const tcData = data as { eventStatus?: unknown; tcString?: unknown } | null;
          if (success && tcData && typeof tcData.eventStatus === 'string') post({ source: 'tcf', eventStatus: tcData.eventStatus, tcString: String(tcData.tcString ?? '') });
        });
      } catch {
        // A CMP that throws reads as no CMP.
      }
    } else if (++tries >= 40) clearInterval(poll);
  }, 250);

  // Cookie Information: its page API, read when it announces a choice.
  win.addEventListener('CookieInformationConsentGiven', () => {
    const api = win.CookieInformation;
    if (!api || typeof api.getConsentGivenFor !== 'function') return;
    const granted: string[] = [];
    const denied: string[] = [];
    for (const [name, category] of Object.entries(CI_CATEGORIES)) {
      let given: unknown;
      try {
        given = api.getConsentGivenFor(name);
      } catch {
        given = undefined;
      }
      if (given === true) granted.push(category);
      else if (given === false) denied.push(category);
    }
    post({ source: 'cookie-information-api', granted, denied });
  });
}
