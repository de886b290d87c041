import { browser } from 'wxt/browser';

// The DevTools page has no face of its own: it adds the panel to each DevTools window. The panel
// (devtools-panel.html) reads the inspected tab's state itself, as the popup does.
void browser.devtools.panels.create(browser.i18n.getMessage('devtoolsPanelTitle'), 'icon/32.png', 'devtools-panel.html');
