import { provideBundledMessages } from '../../lib/i18n/bundled';

// Reports built in the test process (someone's report to import, a HAR's judgement to compare) write
// their evidence in the extension's words, which outside the extension come with the bundle.
provideBundledMessages();
