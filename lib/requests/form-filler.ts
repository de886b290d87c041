export interface FormFillerDeps {
  /** CSS selector of the e-mail field in the shop's data-request form (from the shop profile). */
  selector: string;
  /** Asks the background whether this tab was opened to file a request, and with which address. */
  ask(): Promise<unknown>;
  /** Waits between asks whose answer was lost (tests pass their own). */
  pause?: (ms: number) => Promise<void>;
}

/** Asks this many times at most while the answer is lost. */
const ASKS = 3;
/** Between asks: a worker that was stopped takes a moment to start again. */
const PAUSE_MS = 200;

/**
 * Runs in the content script on the shop's pages: when the page holds the shop's data-request form
 * and the extension opened it for a request, fills in the customer's address and focuses the form.
 * It never submits: sending is the customer's own act.
 *
 * The background answers with the address or `null`. An answer of nothing, or a failed ask, means the
 * answer was lost on its way (Chromium's way with a worker stopped while a message is in flight,
 * lib/messages/answers.ts): the page asks again, and the background still has the address for it
 * (lib/requests/pending-fills.ts). Any other answer (a refusal) fills nothing. No zod here: the content
 * script stays small, and the answer's one field is checked by hand.
 */
export async function fillDataRequestForm({ selector, ask, pause = wait }: FormFillerDeps, root: Document = document): Promise<boolean> {
  if (root.readyState === 'loading') await new Promise((resolve) => root.addEventListener('DOMContentLoaded', resolve, { once: true }));
  const field = root.querySelector<HTMLInputElement>(selector);
  if (!field) return false;
  let answer: unknown;
  for (let asked = 0; asked < ASKS && answer === undefined; asked++) {
    if (asked > 0) await pause(PAUSE_MS);
    answer = await ask().catch(() => undefined);
  }
  const email = typeof answer === 'object' && answer !== null ? (answer as { email?: unknown }).email : undefined;
  if (typeof email !== 'string') return false;
  field.value = email;
  // Frameworks listen for these, not for a changed value.
  field.dispatchEvent(new Event('input', { bubbles: true }));
  field.dispatchEvent(new Event('change', { bubbles: true }));
  field.focus();
  field.scrollIntoView({ block: 'center' });
  return true;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
