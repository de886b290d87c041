/**
 * When a content script must stop: once the extension that injected it is gone (updated, reloaded
 * or removed; `runtime.id` is undefined from then on). Not WXT's `ctx.onInvalidated`: that also
 * fires on a DOM event any page can dispatch (`<extension id>:wxt:content-script-started` with a
 * detail naming the script), and the id of a store extension is public, so a shop could switch the
 * extension off on its own pages (test/e2e/hostile.e2e.ts). The build now leaves that context out
 * altogether (wxt.config.ts, withoutContentScriptContext).
 */
export function watchExtensionLifetime(
  isAlive: () => boolean,
  { intervalMs = 2000, timers = globalThis as Pick<typeof globalThis, 'setInterval' | 'clearInterval'> } = {},
): (stop: () => void) => void {
  const stops: (() => void)[] = [];
  const timer = timers.setInterval(() => {
    if (isAlive()) return;
    timers.clearInterval(timer);
    for (const stop of stops.splice(0)) stop();
  }, intervalMs);
  return (stop) => void stops.push(stop);
}
