import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Translator } from '@/lib/i18n';
import { createTranslator } from '@/lib/i18n';

const TranslatorContext = createContext<Translator>(createTranslator('en'));

export const TranslatorProvider = TranslatorContext.Provider;

export function useTranslator(): Translator {
  return useContext(TranslatorContext);
}
