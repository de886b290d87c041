import 'fake-indexeddb/auto';
import fc from 'fast-check';

// Every property test ends in bounded time, loaded machine or not: fast-check stops generating after
// this long (and reports what it tried); vitest's own timeout stays the hard limit behind it.
fc.configureGlobal({ interruptAfterTimeLimit: 3_000, markInterruptAsFailure: false });
