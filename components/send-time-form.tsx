import { ActionForm, Field } from '@/components/action-form';
import type { CurrentUser } from '@/lib/access/users';
import { firmSendTimeAction, userSendTimeAction } from '@/lib/notifications/actions';
import { SEND_HOURS } from '@/lib/notifications/schedule';
import { OFFERED_ZONES, type SendTimeChoice } from '@/lib/notifications/send-time';
import { i18nFor } from '@/lib/server/i18n/translator';

/** « Heure d'envoi »: one's own hour and zone (« Mes notifications »), or the firm's default (Équipe). */
export function SendTimeForm({
  user,
  choice,
  firm = false,
}: {
  user: Pick<CurrentUser, 'locale'>;
  choice: SendTimeChoice;
  firm?: boolean;
}) {
  const { t } = i18nFor(user.locale);
  const hours = SEND_HOURS.map((hour) => ({ value: String(hour), label: t('sendTime.hourLabel', { hour }) }));
  const current = firm ? choice.firm.zone : choice.own.zone;
  // A zone chosen elsewhere (an older list) stays offered.
  const zoneNames =
    current && !(OFFERED_ZONES as readonly string[]).includes(current) ? [...OFFERED_ZONES, current] : OFFERED_ZONES;
  const zones = zoneNames.map((zone) => ({ value: zone, label: zone.replaceAll('_', ' ').replace('/', ' / ') }));
  const firmChoice = {
    value: '',
    label: t('sendTime.firmDefault', { value: '' }),
  };
  return (
    <section className="panel" aria-labelledby={firm ? 'firm-send-time' : 'send-time'}>
      <h2 id={firm ? 'firm-send-time' : 'send-time'}>{firm ? t('sendTime.firmTitle') : t('sendTime.title')}</h2>
      <p className="muted">
        {firm
          ? t('sendTime.firmIntro')
          : t('sendTime.intro', { hour: choice.effective.hour, zone: choice.effective.zone })}
      </p>
      <ActionForm
        action={firm ? firmSendTimeAction : userSendTimeAction}
        className="inline-form align-end"
        submitLabel={t('sendTime.save')}
        buttonClassName="button"
      >
        <Field
          form={firm ? 'firm-send' : 'send'}
          name="hour"
          type="select"
          label={t('sendTime.hour')}
          options={
            firm
              ? hours
              : [
                  {
                    ...firmChoice,
                    label: t('sendTime.firmDefault', { value: t('sendTime.hourLabel', { hour: choice.firm.hour }) }),
                  },
                  ...hours,
                ]
          }
          defaultValue={firm ? String(choice.firm.hour) : choice.own.hour === null ? '' : String(choice.own.hour)}
        />
        <Field
          form={firm ? 'firm-send' : 'send'}
          name="zone"
          type="select"
          label={t('sendTime.zone')}
          options={
            firm ? zones : [{ ...firmChoice, label: t('sendTime.firmDefault', { value: choice.firm.zone }) }, ...zones]
          }
          defaultValue={firm ? choice.firm.zone : (choice.own.zone ?? '')}
        />
      </ActionForm>
    </section>
  );
}
