// First: its clock starts before any other module's code runs (the benchmark's cold start).
import '@/lib/background/timings';
import { browser } from 'wxt/browser';
import { startBackground } from '@/lib/background';
import { importDexieAtInstall, type InstallingWorker } from '@/lib/db/dexie-script';

export default defineBackground(() => {
  // Chrome's worker takes Dexie from a shared script on first use, which it may only if it imported it at install.
  if (import.meta.env.CHROME) importDexieAtInstall(globalThis as unknown as InstallingWorker);
  const background = startBackground(browser);
  // Read by the end-to-end tests and the scan command through the DevTools protocol; a web page
  // cannot reach the service worker's globals.
  Object.assign(globalThis, { privacyLens: { ...background, isReady: false } });
  void background.ready.then(() => Object.assign((globalThis as { privacyLens?: object }).privacyLens!, { isReady: true }));
});
