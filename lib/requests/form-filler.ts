export interface FormFillerDeps {
  /** CSS selector of the e-mail field in the shop's data-request form (from the shop profile). */
  selector: string;
  /** Asks the background whether this tab was opened to file a request, and with which address. */
  ask(): Promise<{ email: string } | null | undefined>;
}

/**
 * Runs in the content script on the shop's pages: when the page holds the shop's data-request form
 * and the extension opened it for a request, fills in the customer's address and focuses the form.
 * It never submits: sending is the customer's own act.
 */
export async function fillDataRequestForm({ selector, ask }: FormFillerDeps, root: Document = document): Promise<boolean> {
  if (root.readyState === 'loading') await new Promise((resolve) => root.addEventListener('DOMContentLoaded', resolve, { once: true }));
  const field = root.querySelector<HTMLInputElement>(selector);
  if (!field) return false;
  const answer = await ask().catch(() => null);
  if (!answer) return false;
  field.value = answer.email;
  // Frameworks listen for these, not for a changed value.
  field.dispatchEvent(new Event('input', { bubbles: true }));
  field.dispatchEvent(new Event('change', { bubbles: true }));
  field.focus();
  field.scrollIntoView({ block: 'center' });
  return true;
}
