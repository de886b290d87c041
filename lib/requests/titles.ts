import type { Language } from '../i18n';
import type { RequestType } from './types';

/**
 * Each request's title in both languages, apart from the letters: the popup says a request's name
 * (a promise's evidence) without loading every letter's text.
 */
export const TITLES: Record<Language, Record<RequestType, string>> = {
  nl: {
    access: 'Verzoek om inzage',
    erasure: 'Verzoek om verwijdering',
    objection: 'Bezwaar tegen verwerking',
    rectification: 'Verzoek om correctie',
    portability: 'Verzoek om overdracht van gegevens',
    withdrawal: 'Intrekking van toestemming',
  },
  en: {
    access: 'Request for access',
    erasure: 'Request for erasure',
    objection: 'Objection to processing',
    rectification: 'Request for rectification',
    portability: 'Request for data portability',
    withdrawal: 'Withdrawal of consent',
  },
};

export function requestTitle(type: RequestType, language: Language): string {
  return TITLES[language][type];
}
