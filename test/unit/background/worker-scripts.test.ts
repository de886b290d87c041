import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEXIE_SCRIPT, importLaterScriptsAtInstall, importOnFirstUse, LATER_SCRIPTS, POLYFILL_SCRIPT, TCF_SCRIPT } from '@/lib/background/worker-scripts';

describe('the scripts a worker imports later', () => {
  it('are all imported at install, in one call, since a worker may import no other file later', () => {
    const listeners: (() => void)[] = [];
    const worker = { addEventListener: (_type: 'install', listener: () => void) => void listeners.push(listener), importScripts: vi.fn() };
    importLaterScriptsAtInstall(worker);
    expect(worker.importScripts).not.toHaveBeenCalled();
    for (const listener of listeners) listener();
    expect(worker.importScripts).toHaveBeenCalledExactlyOnceWith(...LATER_SCRIPTS);
    expect(LATER_SCRIPTS).toEqual([DEXIE_SCRIPT, TCF_SCRIPT, POLYFILL_SCRIPT]);
  });

  it('is imported on first use only, and what it defines is handed over', () => {
    let defined: { decode(): string } | undefined;
    const worker = { importScripts: vi.fn(() => void (defined = { decode: () => 'decoded' })) };
    expect(importOnFirstUse(TCF_SCRIPT, () => defined, worker).decode()).toBe('decoded');
    expect(importOnFirstUse(TCF_SCRIPT, () => defined, worker).decode()).toBe('decoded');
    expect(worker.importScripts).toHaveBeenCalledExactlyOnceWith(TCF_SCRIPT);
  });

  it('fails loudly when the script defines nothing, or cannot be imported', () => {
    expect(() => importOnFirstUse(TCF_SCRIPT, () => undefined, { importScripts: () => undefined })).toThrow('/iabtcf.js did not define what it should');
    const refused = new Error('importScripts() of new scripts after service worker installation is not allowed');
    expect(() => importOnFirstUse(DEXIE_SCRIPT, () => undefined, { importScripts: () => { throw refused; } })).toThrow(refused);
  });
});

describe('the browser API in Chrome’s worker (lib/background/browser-in-chrome-worker.ts)', () => {
  const load = async () => {
    vi.resetModules();
    return (await import('@/lib/background/browser-in-chrome-worker')).default as unknown;
  };
  afterEach(() => void vi.unstubAllGlobals());

  it('is the browser’s own `browser` where it has one (Chrome 152 and later), and the polyfill is never imported', async () => {
    const own = { runtime: { id: 'privacy-lens' } };
    const importScripts = vi.fn();
    vi.stubGlobal('browser', own);
    vi.stubGlobal('importScripts', importScripts);
    expect(await load()).toBe(own);
    expect(importScripts).not.toHaveBeenCalled();
  });

  // No `browser` at all (Chrome before 152 for this extension), or one without an extension's id, which the polyfill takes for none too.
  it.each([
    ['has none', undefined],
    ['has one without an extension’s id', { runtime: {} }],
  ])('is the polyfill’s, imported as the worker starts, where the browser %s', async (_case, before) => {
    const polyfilled = { runtime: { id: 'privacy-lens' } };
    const importScripts = vi.fn(() => void vi.stubGlobal('browser', polyfilled));
    vi.stubGlobal('browser', before);
    vi.stubGlobal('importScripts', importScripts);
    expect(await load()).toBe(polyfilled);
    expect(importScripts).toHaveBeenCalledExactlyOnceWith(POLYFILL_SCRIPT);
  });
});
