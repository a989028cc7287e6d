import { Button, Heading, Section, Text } from '@react-email/components';
import { colors, EmailLayout } from './layout';

export type ClientInvitationProps = { firmName: string; clientName: string; inviterName: string; signupUrl: string };

export function clientInvitationSubject(props: Pick<ClientInvitationProps, 'firmName'>): string {
  return `${props.firmName} vous invite sur Pleo`.replace(/[\r\n]+/g, ' ');
}

export default function ClientInvitationEmail(props: ClientInvitationProps) {
  return (
    <EmailLayout
      preview={clientInvitationSubject(props)}
      footer={<Text style={{ color: colors.muted, fontSize: 12, margin: 0 }}>Invitation envoyée par {props.firmName} depuis le Portail Partenaires.</Text>}
    >
      <Heading as="h1" style={{ fontSize: 20, margin: '0 0 8px' }}>
        Bonjour,
      </Heading>
      <Text>
        {props.inviterName}, de {props.firmName}, invite {props.clientName} à ouvrir son compte de gestion des dépenses. Votre
        cabinet pourra ensuite tenir votre comptabilité directement depuis le compte.
      </Text>
      <Text>Pour commencer, renseignez les informations de la société, puis ses dirigeants et bénéficiaires : nous vérifions ensuite le compte.</Text>
      <Section style={{ marginTop: 16 }}>
        <Button href={props.signupUrl} style={{ backgroundColor: colors.accent, color: '#ffffff', padding: '10px 18px', borderRadius: 6 }}>
          Ouvrir mon compte
        </Button>
      </Section>
    </EmailLayout>
  );
}

export function clientInvitationText(props: ClientInvitationProps): string {
  return [
    'Bonjour,',
    '',
    `${props.inviterName}, de ${props.firmName}, invite ${props.clientName} à ouvrir son compte de gestion des dépenses. Votre cabinet pourra ensuite tenir votre comptabilité directement depuis le compte.`,
    '',
    'Pour commencer, renseignez les informations de la société, puis ses dirigeants et bénéficiaires : nous vérifions ensuite le compte.',
    '',
    `Ouvrir mon compte : ${props.signupUrl}`,
    '',
    '--',
    `Invitation envoyée par ${props.firmName} depuis le Portail Partenaires.`,
  ].join('\n');
}

ClientInvitationEmail.PreviewProps = {
  firmName: 'Cabinet Démo',
  clientName: 'Boulangerie du Marché',
  inviterName: 'Claire Dubois',
  signupUrl: 'https://app.example.fr/inscription?invitation=exemple',
} satisfies ClientInvitationProps;
