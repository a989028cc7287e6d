import type { ClientStatus, VerificationState } from '@/db/schema';
import { fr } from '@/lib/i18n/fr';

export function StatusBadge({ status, verification }: { status: ClientStatus; verification?: VerificationState | null }) {
  return (
    <span className={`badge badge-${status}`}>
      {fr.status[status]}
      {status === 'onboarding' && verification ? ` · ${fr.verification[verification]}` : null}
    </span>
  );
}
