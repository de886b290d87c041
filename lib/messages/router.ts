import '../parse/english-issues';
import { MESSAGE_REFUSED } from './answers';
import { ContentMessage, DocumentId, ExtensionPageMessage, type Diagnostics } from './schema';

/** The parts of `runtime.MessageSender` the router trusts, and only after checking them. */
export interface Sender {
  id?: string;
  url?: string;
  origin?: string;
  frameId?: number;
  tab?: { id?: number };
  /** The id of the sending document (Chromium; Firefox ESR 153 too, measured in tagging.e2e.ts). */
  documentId?: unknown;
}

export interface RouterDeps {
  extensionId: string;
  /** `chrome-extension://<id>/` or `moz-extension://<uuid>/`. */
  extensionBaseUrl: string;
  isShopUrl(url: string): boolean;
  /**
   * May answer (the form filler asks for the address; a report, once saved). `pageUrl`: the sender's top
   * frame, a shop page; `documentId`: that page's document, where the browser names it (Chromium).
   */
  onContent(tabId: number, message: ContentMessage, pageUrl: string, documentId: string | undefined): void | Promise<unknown>;
  onExtensionPage(message: ExtensionPageMessage): Promise<unknown>;
  onDrop?(diagnostics: Diagnostics): void;
  now(): number;
}

/**
 * One entry point for every runtime message (the Privacy Badger and DuckDuckGo model): the sender
 * decides which schema applies, the schema decides whether the message is read at all. Anything
 * else is dropped and counted, never thrown: a page must not be able to crash the background.
 */
export function createMessageRouter(deps: RouterDeps) {
  const diagnostics: Diagnostics = { droppedMessages: 0, lastDropReason: null, startedAt: deps.now() };

  /** Counts a dropped message, and says so to its sender: a content script then stops sending it (answers.ts). */
  function drop(reason: string): Promise<typeof MESSAGE_REFUSED> {
    diagnostics.droppedMessages++;
    diagnostics.lastDropReason = reason;
    deps.onDrop?.({ ...diagnostics });
    return Promise.resolve(MESSAGE_REFUSED);
  }

  function route(raw: unknown, sender: Sender): Promise<unknown> | undefined {
    try {
      if (sender.id !== deps.extensionId) return drop('sender is not this extension');
      // Extension pages first: one opened in a tab (the history page, a test) also has `sender.tab`.
      if (sender.url?.startsWith(deps.extensionBaseUrl)) {
        const parsed = ExtensionPageMessage.safeParse(raw);
        if (!parsed.success) return drop(`malformed page message: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
        if (parsed.data.type === 'get-diagnostics') return Promise.resolve({ ...diagnostics });
        return deps.onExtensionPage(parsed.data);
      }
      if (sender.tab === undefined) return drop('message from an unknown context');
      // Content scripts: only from the top frame of a shop page.
      const tabId = sender.tab.id;
      if (typeof tabId !== 'number' || tabId < 0) return drop('content message without a tab');
      if (sender.frameId !== 0) return drop('content message from a sub-frame');
      if (!sender.url || !deps.isShopUrl(sender.url)) return drop('content message from a page outside the shop');
      const parsed = ContentMessage.safeParse(raw);
      if (!parsed.success) return drop(`malformed content message: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      const documentId = DocumentId.safeParse(sender.documentId);
      return deps.onContent(tabId, parsed.data, sender.url, documentId.success ? documentId.data : undefined) ?? undefined;
    } catch (error) {
      return drop(`handler failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  return { route, diagnostics: () => ({ ...diagnostics }) };
}
