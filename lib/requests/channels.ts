import type { ShopProfile } from '../catalog';
import type { Channel, RequestType } from './types';

/**
 * Where the composer sends a request unless the customer picks another channel: access through the
 * shop's own form ("Stuur me mijn persoonsgegevens toe"), every other right to the contact address the
 * policy gives under "Contactgegevens" (it sends objections, corrections and a withdrawn consent there,
 * and names no other address for erasure or portability). The data-protection contact stays one pick
 * away; the policy names it for complaints, which is the follow-up after an unanswered request, so a
 * request sent there first would have its complaint go to the same unanswering mailbox.
 */
export function defaultChannel(type: RequestType): Channel {
  return type === 'access' ? 'shop-form' : 'email-contact';
}

/** The address a request goes to on each channel (the shop's form has its page instead). */
export function channelRecipient(channel: Channel, shop: ShopProfile): string {
  if (channel === 'email-dpo') return shop.dataProtectionEmail;
  if (channel === 'email-contact') return shop.contactEmail;
  return shop.dataRequestPage.url;
}

/** A `mailto:` link with subject and body (RFC 6068: everything percent-encoded, line breaks as CRLF). */
export function mailtoUrl(to: string, subject: string, body: string): string {
  const encode = (text: string) => encodeURIComponent(text.replace(/\r?\n/g, '\r\n'));
  return `mailto:${encodeURIComponent(to).replace('%40', '@')}?subject=${encode(subject)}&body=${encode(body)}`;
}

/** Mail programs cut mailto links somewhere past 2,000 characters: offer the .eml file then. */
export const MAILTO_SAFE_LENGTH = 2000;

/**
 * An unsent e-mail as an .eml file (RFC 5322 with a UTF-8 text body, RFC 2047 for the subject).
 * `X-Unsent: 1` makes Outlook and Thunderbird open it as a draft to send.
 */
export function emlFile({ to, subject, body, date }: { to: string; subject: string; body: string; date: Date }): string {
  const encodedSubject = /^[\x20-\x7e]*$/.test(subject) ? subject : `=?UTF-8?B?${base64(subject)}?=`;
  const lines = base64(body.replace(/\r?\n/g, '\r\n')).match(/.{1,76}/g) ?? [];
  return [
    `To: ${to}`,
    `Subject: ${encodedSubject}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    'X-Unsent: 1',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    ...lines,
    '',
  ].join('\r\n');
}

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
