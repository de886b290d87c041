/**
 * The service worker's start-up on its own clock (milliseconds since the browser started the worker):
 * when this bundle's code began to run (after the browser fetched, parsed and compiled it), when every
 * module was evaluated, when every listener was registered, when start-up's reads were back (events
 * are handled from then on), and when the first webRequest event arrived and had been handled. The
 * benchmark's cold start reads them (BENCHMARKS.md); they cost a few numbers. The entrypoint imports
 * this module first, so `scriptStarted` is taken before any other module's code runs.
 */
export const workerTimings: {
  scriptStarted: number;
  modulesLoaded?: number;
  listening?: number;
  started?: number;
  firstRequestArrived?: number;
  firstRequestHandled?: number;
} = { scriptStarted: performance.now() };
