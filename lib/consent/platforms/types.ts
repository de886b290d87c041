import type { ConsentRecord, PlatformId, RecordCategory } from '../model';

/**
 * One consent management platform (CMP), as data and small pure functions: how its stored record
 * reads, how its page API reads, and how it shows itself. Adding the next platform is one module in
 * this folder and one line in each index (cookies.ts, page.ts, signatures.ts); nothing else changes.
 *
 * The three parts are separate exports because they run in three places: the cookie reader in the
 * background (which sees every cookie, HttpOnly ones too), the page reader in the page's own
 * JavaScript world (a MAIN-world content script with no extension API), the signature in the
 * content script and the popup. Each bundle takes only the part it imports. Each module also says
 * where its formats were verified (`sources`: documentation pages, the script, autoconsent's rule),
 * as an export of its own that only the tests import.
 */

/** Reads the platform's record from the shop's cookies. */
export interface CookieReader {
  platform: PlatformId;
  /**
   * Names of the cookies that hold the record. A name ending in `*` is a prefix
   * (iubenda's `_iub_cs-<site id>`).
   */
  cookies: readonly string[];
  /**
   * The visitor's choice from the cookies (name → raw value as the browser stores it, URL-encoding
   * and all), or null when there is none or it is not one we understand: never a guess. A record the
   * platform wrote before any choice (defaults, an implied consent the visitor never gave) is null.
   */
  read(cookies: ReadonlyMap<string, string>): ConsentRecord | null;
}

/** What a platform's page API says, reduced to the catalog's categories. */
export type PageReading =
  /** The API is there and has no choice yet: the banner waits for an answer. */
  | { state: 'unanswered' }
  | { state: 'answered'; granted: RecordCategory[]; denied: RecordCategory[] };

/**
 * Reads the platform's page API. Runs in the page's own world, where the page can have replaced or
 * broken anything: every function must survive getters that throw, wrong types and never-settling
 * promises (the engine around it catches and times out, but a reader must not loop or hang).
 */
export interface PageReader {
  platform: PlatformId;
  /** Whether the platform's API is on the page yet (the engine polls this for a while). */
  present(win: Window): boolean;
  /** The choice as the API reports it now; null when the API answered nothing usable. */
  read(win: Window): PageReading | null | Promise<PageReading | null>;
  /**
   * Calls `onChange` whenever the platform announces a new or changed choice (its own events or
   * callback lists). Called once, after `present` was true.
   */
  subscribe(win: Window, onChange: () => void): void;
}

/** How a platform shows itself, to name a banner whose record cannot be read. */
export interface PlatformSignature {
  platform: PlatformId;
  /** The name people know it by ("Usercentrics"). */
  name: string;
  /** Registrable domains or hosts its scripts and API come from (suffix match). */
  hosts: readonly string[];
  /** CSS selectors of its banner's root element(s), as rendered in the page. */
  selectors: readonly string[];
  /** Window globals its script defines. */
  globals: readonly string[];
}
