// First: its clock starts before any other module's code runs (the benchmark's cold start).
import '@/lib/background/timings';
import { browser } from 'wxt/browser';
import { startBackground } from '@/lib/background';
import { importLaterScriptsAtInstall, type InstallingWorker } from '@/lib/background/worker-scripts';

export default defineBackground(() => {
  // Chrome's worker takes Dexie and the IAB's TCF library from scripts of their own on first use, which it
  // may only if it imported them at install.
  if (import.meta.env.CHROME) importLaterScriptsAtInstall(globalThis as unknown as InstallingWorker);
  const background = startBackground(browser);
  // Read by the end-to-end tests and the scan command through the DevTools protocol; a web page
  // cannot reach the service worker's globals.
  Object.assign(globalThis, { privacyLens: { ...background, isReady: false } });
  void background.ready.then(() => Object.assign((globalThis as { privacyLens?: object }).privacyLens!, { isReady: true }));
});
