import { useState } from 'preact/hooks';
import { catalog } from '@/lib/catalog';
import { createTranslator, type MessageKey } from '@/lib/i18n';
import {
  calendarDate,
  citePromises,
  composeFollowUp,
  emlFile,
  mailtoUrl,
  MAILTO_SAFE_LENGTH,
  requestState,
  requestTitle,
  type CalendarDate,
  type Customer,
  type FollowUp,
  type RightsRequestRecord,
  type SeenBrokenPromise,
} from '@/lib/requests';
import { copyText, saveFile } from '@/lib/view/files';
import { useTranslator } from './i18n';

const key = (prefix: string, id: string) => `${prefix}_${id.replace(/-/g, '_')}` as MessageKey;
const STATUSES = ['sent', 'extended', 'answered', 'closed'] as const;

export interface RequestActions {
  setStatus(id: string, status: RightsRequestRecord['status']): Promise<void>;
  setNotes(id: string, notes: string): Promise<void>;
  followedUp(id: string, step: FollowUp): Promise<void>;
}

/** The customer's requests with their deadlines, newest first; overdue ones offer the next step. */
export function RequestList({
  requests,
  now,
  customer,
  actions,
  brokenPromises = [],
}: {
  requests: RightsRequestRecord[];
  now: number;
  customer: Customer | null;
  actions: RequestActions;
  /** Other promises of the privacy policy the log saw broken: a complaint cites them. */
  brokenPromises?: SeenBrokenPromise[];
}) {
  const { t } = useTranslator();
  return (
    <section class="requests" aria-labelledby="requests-heading">
      <h2 id="requests-heading">{t('requestsHeading')}</h2>
      {requests.length === 0 ? (
        <p class="empty">{t('requestsEmpty')}</p>
      ) : (
        <ul class="requests__list">
          {requests.map((request) => (
            <RequestCard key={request.id} request={request} now={now} customer={customer} actions={actions} brokenPromises={brokenPromises} />
          ))}
        </ul>
      )}
    </section>
  );
}

function RequestCard({ request, now, customer, actions, brokenPromises }: { request: RightsRequestRecord; now: number; customer: Customer | null; actions: RequestActions; brokenPromises: SeenBrokenPromise[] }) {
  const { t, plural, language, formatCalendarDate, formatDateTime } = useTranslator();
  const [open, setOpen] = useState<FollowUp | null>(null);
  const state = requestState(request, now, catalog.shop.answerDeadlineMonths);
  return (
    <li class={`request ${state.overdue ? 'request--overdue' : ''}`} data-request={request.type} data-overdue={String(state.overdue)}>
      <h3>{requestTitle(request.type, language)}</h3>
      <p class="explain">{t('requestSentOn', { date: formatDateTime(request.sentAt), channel: t(key('channelName', request.channel)) })}</p>
      <p>
        <strong>{t('requestDue', { date: formatCalendarDate(state.due) })}</strong>
        {' · '}
        {state.overdue ? <span class="request__overdue">{t('requestOverdue')}</span> : request.status === 'sent' || request.status === 'extended' ? plural('requestDaysLeft', state.daysLeft) : ''}
      </p>
      {request.followUps.length > 0 && (
        <ul class="request__history">
          {request.followUps.map((f) => (
            <li key={`${f.step}-${f.at}`}>{t('followUpDone', { step: t(key('followUp', f.step)), date: formatDateTime(f.at) })}</li>
          ))}
        </ul>
      )}
      <div class="request__controls">
        <label>
          {t('requestStatusLabel')}{' '}
          <select value={request.status} onChange={(e) => void actions.setStatus(request.id, e.currentTarget.value as RightsRequestRecord['status'])}>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(key('status', status))}
              </option>
            ))}
          </select>
        </label>
        {state.nextStep && (
          <button type="button" class="button" data-next-step={state.nextStep} onClick={() => setOpen(open ? null : state.nextStep)} aria-expanded={open !== null}>
            {t('nextStep')}: {t(key('followUp', state.nextStep))}
          </button>
        )}
      </div>
      {open && customer === null && <p class="field-error">{t('error_name_missing')}</p>}
      {open && customer && (
        <FollowUpPanel
          request={request}
          step={open}
          customer={customer}
          due={state.due}
          brokenPromises={brokenPromises}
          onSent={() => actions.followedUp(request.id, open).then(() => setOpen(null))}
        />
      )}
      <label class="field">
        {t('requestNotes')}
        <textarea rows={2} value={request.notes} onBlur={(e) => void actions.setNotes(request.id, e.currentTarget.value)} />
      </label>
    </li>
  );
}

function FollowUpPanel({
  request,
  step,
  customer,
  due,
  brokenPromises,
  onSent,
}: {
  request: RightsRequestRecord;
  step: FollowUp;
  customer: Customer;
  due: CalendarDate;
  brokenPromises: SeenBrokenPromise[];
  onSent(): void;
}) {
  const { t } = useTranslator();
  const [copied, setCopied] = useState<'copied' | 'copyFailed' | null>(null);
  // A follow-up is written in the request's own language, whatever the page's: a Dutch letter's
  // reminder is Dutch, its dates too.
  const inLetter = createTranslator(request.language);
  const letter = composeFollowUp({
    step,
    request,
    shop: catalog.shop,
    customer,
    language: inLetter.language,
    // The day it was sent where the customer sent it: the UTC day is the day before after midnight in Europe.
    sentDate: inLetter.formatCalendarDate(calendarDate(request.sentAt, request.timeZone)),
    dueDate: inLetter.formatCalendarDate(due),
    history: request.followUps.map((f) => inLetter.t('followUpDone', { step: inLetter.t(key('followUp', f.step)), date: inLetter.formatDateTime(f.at) })),
    brokenPromises: citePromises(brokenPromises, inLetter.language, request.timeZone),
  });
  const authority = step === 'authority-complaint';
  const mailto = mailtoUrl(letter.recipient, letter.subject, letter.body);
  return (
    <div class="followup" data-followup={step}>
      {authority ? (
        <p>
          <a class="button" href={letter.recipient} target="_blank" rel="noreferrer noopener">
            {t('openComplaintForm')}
          </a>{' '}
          {t('complaintFacts')}
        </p>
      ) : (
        <>
          <p>
            <a class="button" href={mailto}>
              {t('openMail')}
            </a>{' '}
            {letter.recipient}{' '}
            <button type="button" class="button button--quiet" data-download-eml onClick={() => saveFile(`${step}-${request.type}-mijnliefsteboek.eml`, 'message/rfc822', emlFile({ to: letter.recipient, subject: letter.subject, body: letter.body, date: new Date() }))}>
              {t('downloadEml')}
            </button>
          </p>
          {/* A follow-up quotes the letter it follows: most are past what mail programs take in a link. */}
          {mailto.length > MAILTO_SAFE_LENGTH && <p class="explain" data-mailto-too-long>{t('mailtoTooLong')}</p>}
        </>
      )}
      <label class="field">
        {t('followUpLetter')}
        <textarea class="followup__text" rows={12} readOnly value={`${letter.subject}\n\n${letter.body}`} />
      </label>
      <p>
        <button type="button" class="button button--quiet" data-copy-letter onClick={() => void copyText(`${letter.subject}\n\n${letter.body}`).then((done) => setCopied(done ? 'copied' : 'copyFailed'))}>
          {t('copyLetter')}
        </button>{' '}
        <button type="button" class="button button--confirm" onClick={onSent}>
          {t('confirmSent')}
        </button>
      </p>
      <p role="status">{copied ? t(copied) : ''}</p>
    </div>
  );
}

