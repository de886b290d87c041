import '@/lib/parse/jitless';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { TranslatorProvider } from '@/components/i18n';
import { openLog } from '@/lib/db';
import { setUpPage } from '@/lib/i18n/page';
import { createComposer } from '@/lib/requests/composer';
import { RequestType } from '@/lib/requests';
import { Composer } from './Composer';
import '@/components/theme.css';

// request.html?type=access[&lang=en]: one page per request, opened from the popup or the request list.
const { translator, params } = await setUpPage(browser, 'composerTitle');

const type = RequestType.safeParse(params.get('type'));
const composer = createComposer({
  browser,
  db: openLog(),
  initialType: type.success ? type.data : 'access',
  letterLanguage: 'nl',
  now: Date.now,
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
});

// A page left open past midnight shows the next day's deadline (sending reads the clock again anyway).
setInterval(composer.tick, 60_000);

render(
  <TranslatorProvider value={translator}>
    <Composer composer={composer} />
  </TranslatorProvider>,
  document.getElementById('app')!,
);
