'use client';

import { useTranslations } from 'next-intl';
import type { ClientStatus, VerificationState } from '@/db/schema';

export function StatusBadge({
  status,
  verification,
}: {
  status: ClientStatus;
  verification?: VerificationState | null;
}) {
  const t = useTranslations();
  const label = t(`status.${status}`);
  return (
    <span className={`badge badge-${status}`}>
      {status === 'onboarding' && verification
        ? t('statusWithStep', { status: label, step: t(`verification.${verification}`) })
        : label}
    </span>
  );
}
