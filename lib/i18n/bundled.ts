import nl from '../../public/_locales/nl/messages.json';
import en from '../../public/_locales/en/messages.json';
import { provideMessages } from './index';

/**
 * Both languages' strings carried in the bundle: for the scan command and the tests, which run in
 * Node. The extension's pages and background read the packaged files instead (./page, ./packaged).
 */
export function provideBundledMessages(): void {
  provideMessages({ nl, en });
}
