import { i18nFor } from '@/lib/server/i18n/translator';

/** What a French user reads for a catalogue key: tests compare with the catalogue, not with copies of it. */
export const fr = i18nFor('fr');
export const en = i18nFor('en');
