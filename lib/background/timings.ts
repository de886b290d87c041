/**
 * The service worker's start-up on its own clock (milliseconds since the browser started the worker):
 * when this bundle's code began to run (after the browser fetched, parsed and compiled it), when
 * start-up was done, and when the first webRequest event had been handled. The benchmark's cold start
 * reads them (BENCHMARKS.md); they cost three numbers. The entrypoint imports this module first, so
 * `scriptStarted` is taken before any other module's code runs.
 */
export const workerTimings: { scriptStarted: number; modulesLoaded?: number; started?: number; firstRequestHandled?: number } = { scriptStarted: performance.now() };
