import type { Messages } from '@/lib/server/i18n/messages';
import type { I18n } from '@/lib/server/i18n/translator';
import type { ActivityRow } from './queries';

type Field = keyof Messages['journal']['fields'];

// The facts a row shows, in this order; ids stay out of sight (they are in the CSV's columns' rows' links).
const SHOWN: Field[] = [
  'member',
  'email',
  'role',
  'detail',
  'expenses',
  'questions',
  'question',
  'totalCents',
  'recipients',
  'tasks',
  'frequency',
  'enabled',
  'via',
  'again',
  'failures',
  'address',
  'month',
  'reason',
  'preparer',
  'reviewer',
  'group',
  'clients',
  'view',
  'until',
  'hour',
  'zone',
  'firmDefault',
];

function value(
  i18n: I18n,
  field: Field,
  raw: string | number | boolean | null,
  details: ActivityRow['details'],
): string {
  const { t, format } = i18n;
  if (field === 'month' && typeof raw === 'string' && /^\d{4}-\d{2}$/.test(raw))
    return format.monthYear(new Date(`${raw}-15T12:00:00Z`));
  if ((field === 'hour' || field === 'zone') && raw === null) return t('sendTime.firmChoice');
  if (field === 'hour' && typeof raw === 'number') return t('sendTime.hourLabel', { hour: raw });
  if (field === 'until') return raw === null ? t('journal.withoutEnd') : format.dateTime(new Date(String(raw)));
  if (typeof raw === 'boolean') return raw ? t('journal.yes') : t('journal.no');
  if (field === 'question' && (raw === 'purpose' || raw === 'attendees' || raw === 'personal' || raw === 'other'))
    return t(`questions.kinds.${raw}`);
  if (field === 'totalCents' && typeof raw === 'number') return format.money(raw, String(details.currency ?? 'EUR'));
  if (field === 'role' && (raw === 'admin' || raw === 'accountant')) return t(`roles.${raw}`);
  if (field === 'frequency' && (raw === 'daily' || raw === 'weekly' || raw === 'monthly'))
    return t(`notifications.frequencies.${raw}`);
  if (field === 'tasks' && typeof raw === 'string') {
    return raw
      .split(',')
      .map((task) =>
        task === 'missing_receipts' || task === 'ready_to_export' || task === 'balance'
          ? t(`reminders.tasks.${task}`)
          : task,
      )
      .join(', ');
  }
  if (
    field === 'detail' &&
    typeof raw === 'string' &&
    Object.prototype.hasOwnProperty.call(i18n.messages.verification, raw)
  ) {
    return t(`verification.${raw as keyof Messages['verification']}`);
  }
  return String(raw ?? '');
}

/** "Dépenses : 12 · Total : 1 234,56 €": what a Journal row's details say, in the reader's language. */
export function describeDetails(i18n: I18n, details: ActivityRow['details']): string {
  return SHOWN.filter((field) => Object.prototype.hasOwnProperty.call(details, field))
    .map((field) =>
      i18n.t('journal.field', {
        label: i18n.t(`journal.fields.${field}`),
        value: value(i18n, field, details[field]!, details),
      }),
    )
    .join(' · ');
}

/** Who did it: the member's name as it was, or the platform, or the system. */
export function describeActor(i18n: I18n, row: Pick<ActivityRow, 'actorKind' | 'actorName'>): string {
  if (row.actorKind === 'recipient' && row.actorName)
    return i18n.t('journal.actors.recipientNamed', { name: row.actorName });
  return row.actorKind === 'user' && row.actorName ? row.actorName : i18n.t(`journal.actors.${row.actorKind}`);
}
