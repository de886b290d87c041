import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * zod/mini carries no messages of its own: an issue without a message of ours would read "Invalid
 * input". Classic zod loaded its English ones on import. The modules that show a parse problem to a
 * person (an imported report or HAR file, a form in the composer, a flag of the scan command, a page's
 * message dropped in the diagnostics) import this first, so those problems still say what was wrong
 * ("expected number, received string"). Only the English locale comes in (about 1 kB gzip): these
 * texts go into a sentence of ours that is translated, as the path does.
 */
z.config(en());
