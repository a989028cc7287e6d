import { Button, Heading, Section, Text } from '@react-email/components';
import { colors, EmailLayout } from './layout';

export type TeamInvitationProps = { firmName: string; inviterName: string; name: string; roleLabel: string; acceptUrl: string };

export function teamInvitationSubject(props: Pick<TeamInvitationProps, 'firmName'>): string {
  return `Rejoignez ${props.firmName} sur le Portail Partenaires`.replace(/[\r\n]+/g, ' ');
}

export default function TeamInvitationEmail(props: TeamInvitationProps) {
  return (
    <EmailLayout
      preview={teamInvitationSubject(props)}
      footer={<Text style={{ color: colors.muted, fontSize: 12, margin: 0 }}>Ce lien est valable 7 jours et ne sert qu’une fois.</Text>}
    >
      <Heading as="h1" style={{ fontSize: 20, margin: '0 0 8px' }}>
        Bonjour {props.name},
      </Heading>
      <Text>
        {props.inviterName} vous invite à rejoindre {props.firmName} sur le Portail Partenaires, en tant que {props.roleLabel.toLowerCase()}.
      </Text>
      <Section style={{ marginTop: 16 }}>
        <Button href={props.acceptUrl} style={{ backgroundColor: colors.accent, color: '#ffffff', padding: '10px 18px', borderRadius: 6 }}>
          Choisir mon mot de passe
        </Button>
      </Section>
    </EmailLayout>
  );
}

export function teamInvitationText(props: TeamInvitationProps): string {
  return [
    `Bonjour ${props.name},`,
    '',
    `${props.inviterName} vous invite à rejoindre ${props.firmName} sur le Portail Partenaires, en tant que ${props.roleLabel.toLowerCase()}.`,
    '',
    `Choisir mon mot de passe : ${props.acceptUrl}`,
    '',
    'Ce lien est valable 7 jours et ne sert qu’une fois.',
  ].join('\n');
}

TeamInvitationEmail.PreviewProps = {
  firmName: 'Cabinet Démo',
  inviterName: 'Claire Dubois',
  name: 'Camille Roux',
  roleLabel: 'Comptable',
  acceptUrl: 'http://localhost:3000/invitation/exemple',
} satisfies TeamInvitationProps;
