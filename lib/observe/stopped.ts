/**
 * Whether a request that ended in this webRequest error never reached the company: the browser, an
 * extension (a content blocker) or the network stopped it before anything was sent. webRequest shows
 * our extension the start of every request the page makes, these included, so they are counted as
 * the page's; the customer is told which of them never arrived.
 *
 * Only errors that come before a connection carried the request count. An error after that (a reset
 * connection, a timeout, the page navigating away, a response the browser refused to hand over) may
 * come after the company received everything: such a request counts as sent.
 */
export function stoppedBeforeSent(error: string): boolean {
  return STOPPED.has(error) || FIREFOX_CLASSIFIER.test(error);
}

const STOPPED: ReadonlySet<string> = new Set([
  // Chromium (net/base/net_error_list.h): a content blocker's rule (declarativeNetRequest or webRequest).
  'net::ERR_BLOCKED_BY_CLIENT',
  // Blocked by an administrator's policy (URLBlocklist).
  'net::ERR_BLOCKED_BY_ADMINISTRATOR',
  // Refused before it left: too many requests of the page in flight (measured under a flood).
  'net::ERR_INSUFFICIENT_RESOURCES',
  // No address for the host (a DNS blocker such as a Pi-hole answers so), or none reachable.
  'net::ERR_NAME_NOT_RESOLVED',
  'net::ERR_NAME_RESOLUTION_FAILED',
  'net::ERR_CONNECTION_REFUSED',
  'net::ERR_ADDRESS_UNREACHABLE',
  'net::ERR_INTERNET_DISCONNECTED',
  // Firefox: an extension cancelled it (declarativeNetRequest's block, measured; webRequest's cancel).
  'NS_ERROR_ABORT',
  // No address, no connection, or offline.
  'NS_ERROR_UNKNOWN_HOST',
  'NS_ERROR_CONNECTION_REFUSED',
  'NS_ERROR_OFFLINE',
]);

/**
 * Firefox's Enhanced Tracking Protection and Safe Browsing end a request they block with the list's
 * class: NS_ERROR_TRACKING_URI, NS_ERROR_SOCIALTRACKING_URI (Facebook's pixel in standard mode),
 * NS_ERROR_FINGERPRINTING_URI, NS_ERROR_CRYPTOMINING_URI, NS_ERROR_EMAILTRACKING_URI, NS_ERROR_MALWARE_URI,
 * NS_ERROR_PHISHING_URI, NS_ERROR_UNWANTED_URI, NS_ERROR_HARMFUL_URI, NS_ERROR_BLOCKED_URI.
 */
const FIREFOX_CLASSIFIER = /^NS_ERROR_[A-Z]+_URI$/;
