import { z } from 'zod';
import { invalid } from '@/lib/server/i18n/validation';
import { withoutControlCharacters } from '@/lib/server/text';
import { GRANTS } from './requests';

const words = (key: 'accessReason' | 'refusalReason') =>
  z
    .string(invalid(key))
    .transform((value) => withoutControlCharacters(value).trim().replace(/\s+/g, ' '))
    .pipe(z.string().min(3, invalid(key)).max(300, invalid(key)));

export const requestAccessSchema = z.object({
  clientId: z.string().uuid(invalid('clientNotFound')),
  reason: words('accessReason'),
});

export const grantAccessSchema = z.object({
  requestId: z.string().uuid(invalid('invalid')),
  grant: z.enum(GRANTS, invalid('chooseGrant')),
});

export const refuseAccessSchema = z.object({
  requestId: z.string().uuid(invalid('invalid')),
  refusal: words('refusalReason'),
});

export const accessPolicySchema = z.object({
  // An unticked checkbox is absent from the form.
  enabled: z.preprocess((value) => value === 'on' || value === 'true' || value === '1', z.boolean()),
});

/** `/clients/acces?q=…&page=…`: a search of at most 100 characters, a page from 1. */
export function parseOtherClientsParams(params: Record<string, string | string[] | undefined>) {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';
  const q = withoutControlCharacters(one(params.q)).trim().slice(0, 100);
  const page = Number.parseInt(one(params.page), 10);
  return { q, page: Number.isSafeInteger(page) && page >= 1 && page <= 10_000 ? page : 1 };
}
