import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { provideBundledMessages } from '../../lib/i18n/bundled';

// Every property test ends in bounded time, loaded machine or not: fast-check stops generating after
// this long (and reports what it tried); vitest's own timeout stays the hard limit behind it.
fc.configureGlobal({ interruptAfterTimeLimit: 3_000, markInterruptAsFailure: false });

// Modules shared with the background translate with whatever strings were provided; the tests give them the bundle's.
provideBundledMessages();
