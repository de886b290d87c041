import { useTranslator } from '@/components/i18n';
import { catalog } from '@/lib/catalog';
import type { MessageKey } from '@/lib/i18n';
import { defaultChannel, REQUEST_TYPES, type Channel } from '@/lib/requests';
import { copyText, saveFile } from '@/lib/view/files';
import type { ComposerModel, FieldErrors } from '@/lib/requests/composer';

const key = (prefix: string, id: string) => `${prefix}_${id.replace(/-/g, '_')}` as MessageKey;

export function Composer({ composer: c }: { composer: ComposerModel }) {
  const { t, plural, formatCalendarDate } = useTranslator();
  const shop = catalog.shop;
  const errors = c.errors.value;
  const channels: [Channel, string][] = [
    ...(c.type.value === 'access' ? ([['shop-form', t('channel_shopForm')]] as [Channel, string][]) : []),
    ['email-contact', t('channel_emailContact', { email: shop.contactEmail })],
    ['email-dpo', t('channel_emailDpo', { email: shop.dataProtectionEmail })],
  ];

  async function mail(kind: 'eml' | 'copy') {
    const prepared = await c.prepareMail();
    if (!prepared) return;
    if (kind === 'copy') {
      // The letter stays on screen: if the browser refuses the clipboard, it can be selected by hand.
      c.notice.value = { key: (await copyText(`${c.subject.value}\n\n${c.body.value}`)) ? 'copied' : 'copyFailed' };
    } else {
      saveFile(`${c.type.value}-request-mijnliefsteboek.eml`, 'message/rfc822', prepared.eml);
    }
  }

  return (
    <main class="page composer">
      <h1>{t('composerHeading')}</h1>

      <fieldset class="composer__types">
        <legend>{t('composerTypeLabel')}</legend>
        {REQUEST_TYPES.map((type) => (
          <label key={type}>
            <input
              type="radio"
              name="type"
              value={type}
              checked={c.type.value === type}
              onChange={() => {
                c.type.value = type;
                if (type !== 'access' && c.channel.value === 'shop-form') c.channel.value = defaultChannel(type);
                c.rebuild();
              }}
            />
            {t(key('requestType', type))}
          </label>
        ))}
      </fieldset>

      <section aria-labelledby="details-heading">
        <h2 id="details-heading">{t('composerDetails')}</h2>
        <div class="form-grid">
          <Field id="name" label={t('fieldName')} value={c.name.value} error={errors.name} autocomplete="name" onInput={(v) => ((c.name.value = v), c.changed())} />
          <Field id="email" label={t('fieldEmail')} type="email" value={c.email.value} error={errors.email} autocomplete="email" onInput={(v) => ((c.email.value = v), c.changed())} />
          <Field id="orderNumber" label={t('fieldOrderNumber')} value={c.orderNumber.value} error={errors.orderNumber} onInput={(v) => ((c.orderNumber.value = v), c.changed())} />
        </div>
        {c.type.value === 'rectification' && (
          <label class="field">
            {t('fieldCorrection')}
            <textarea rows={3} value={c.correction.value} onInput={(e) => ((c.correction.value = e.currentTarget.value), c.changed())} />
          </label>
        )}
        <label class="checkbox">
          <input id="remember-details" type="checkbox" checked={c.remember.value} onChange={(e) => (c.remember.value = e.currentTarget.checked)} />
          {t('rememberDetails')}
        </label>
        {c.remember.value && (
          <button type="button" class="link-button" onClick={() => void c.forgetDetails()}>
            {t('forgetDetails')}
          </button>
        )}
      </section>

      <section aria-labelledby="letter-heading">
        <h2 id="letter-heading">{t('letterHeading')}</h2>
        <div class="composer__letter-tools">
          <label>
            {t('letterLanguage')}{' '}
            <select id="letter-language" value={c.letterLanguage.value} onChange={(e) => ((c.letterLanguage.value = e.currentTarget.value as 'nl' | 'en'), c.rebuild())}>
              <option value="nl" lang="nl">
                Nederlands
              </option>
              <option value="en" lang="en">
                English
              </option>
            </select>
          </label>
          <button type="button" class="button button--quiet" onClick={() => c.rebuild()}>
            {t('letterRebuild')}
          </button>
        </div>
        {c.identifiers.value.length > 0 && <p class="explain">{plural('identifiersUsed', c.identifiers.value.length)}</p>}
        {c.type.value === 'objection' && c.brokenPromises.value.length > 0 && (
          <label class="checkbox">
            <input id="cite-promises" type="checkbox" checked={c.cite.value} onChange={(e) => ((c.cite.value = e.currentTarget.checked), c.changed())} />
            {plural('citePromises', c.brokenPromises.value.length)}
          </label>
        )}
        <label class="field">
          {t('letterSubject')}
          <input id="letter-subject" value={c.subject.value} onInput={(e) => ((c.subject.value = e.currentTarget.value), (c.edited.value = true))} />
        </label>
        <label class="field">
          {t('letterBody')}
          <textarea
            id="letter-body"
            rows={18}
            value={c.body.value}
            aria-invalid={errors.body ? 'true' : undefined}
            aria-describedby={errors.body ? 'letter-body-error' : undefined}
            onInput={(e) => ((c.body.value = e.currentTarget.value), (c.edited.value = true))}
          />
        </label>
        {errors.body && <p id="letter-body-error" class="field-error" role="alert">{t(key('error', errors.body))}</p>}
      </section>

      <section aria-labelledby="channel-heading">
        <h2 id="channel-heading">{t('channelHeading')}</h2>
        <div class="composer__channels">
          {channels.map(([channel, label]) => (
            <label key={channel}>
              <input type="radio" name="channel" value={channel} checked={c.channel.value === channel} onChange={() => (c.channel.value = channel)} />
              {label}
            </label>
          ))}
        </div>
        <div class="composer__actions">
          {c.channel.value === 'shop-form' ? (
            <>
              <button type="button" class="button" id="open-shop-form" onClick={() => void c.openShopForm()}>
                {t('openShopForm')}
              </button>
              <p class="explain">{t('shopFormNote')}</p>
            </>
          ) : (
            <>
              <a
                class="button"
                id="open-mail"
                href={c.mailto.value}
                onClick={(event) => {
                  // The link itself opens the mail program; it only must not leave with bad details, nor
                  // with yesterday's deadline (the clock is read again, and the link follows at once).
                  c.tick();
                  if (!c.validate()) event.preventDefault();
                  else {
                    event.currentTarget.href = c.mailto.value;
                    void c.prepareMail();
                  }
                }}
              >
                {t('openMail')}
              </a>
              <button type="button" class="button button--quiet" id="copy-letter" onClick={() => void mail('copy')}>
                {t('copyLetter')}
              </button>
              <button type="button" class="button button--quiet" id="download-eml" onClick={() => void mail('eml')}>
                {t('downloadEml')}
              </button>
              {c.mailtoTooLong.value && <p class="explain">{t('mailtoTooLong')}</p>}
            </>
          )}
        </div>
      </section>

      <section class="composer__confirm">
        <button type="button" class="button button--confirm" id="confirm-sent" onClick={() => void c.confirmSent()}>
          {t('confirmSent')}
        </button>
        <p class="explain">{t('confirmSentNote')}</p>
        <p role="status" aria-live="polite" class="composer__notice">
          {c.recordedId.value ? t('recorded', { due: formatCalendarDate(c.due.value) }) : c.notice.value ? t(c.notice.value.key as MessageKey, c.notice.value.values) : ''}
        </p>
      </section>
    </main>
  );
}

function Field(props: { id: keyof FieldErrors; label: string; value: string; error?: string; type?: 'text' | 'email'; autocomplete?: string; onInput(value: string): void }) {
  const { t } = useTranslator();
  const errorId = `${props.id}-error`;
  return (
    <label class="field">
      {props.label}
      <input
        id={`field-${props.id}`}
        type={(props.type ?? 'text') as 'text'}
        value={props.value}
        autocomplete={props.autocomplete}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? errorId : undefined}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      {props.error && (
        <span id={errorId} class="field-error" role="alert">
          {t(key('error', props.error))}
        </span>
      )}
    </label>
  );
}
