import { render } from '@react-email/render';
import { createElement, type FunctionComponent } from 'react';
import type { OutgoingEmail } from './transport';

/** An e-mail from a react-email template: the HTML rendered, the text part written by the template's own function. */
export async function renderEmail<P extends object>(
  template: FunctionComponent<P>,
  props: P,
  parts: {
    to: string;
    subject: string;
    text: (props: P) => string;
    headers?: Record<string, string>;
    firmId: string;
    replyTo?: string;
  },
): Promise<OutgoingEmail> {
  return {
    to: parts.to,
    subject: parts.subject,
    html: await render(createElement(template, props)),
    text: parts.text(props),
    ...(parts.headers ? { headers: parts.headers } : {}),
    firmId: parts.firmId,
    ...(parts.replyTo ? { replyTo: parts.replyTo } : {}),
  };
}
