import { createElement, type FunctionComponent } from 'react';
import type { OutgoingEmail } from './transport';

const DOCTYPE =
  '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">';

/**
 * The HTML of a react-email template. React's synchronous static renderer rather than
 * @react-email/render's streaming one: the same markup without React's hydration comments, in
 * half the time (a digest run renders thousands of these, and rendering sets its pace). Our
 * templates suspend on nothing.
 */
export async function renderHtml<P extends object>(template: FunctionComponent<P>, props: P): Promise<string> {
  // Loaded on first use, as @react-email/render does, so that it is resolved for the server runtime.
  const { renderToStaticMarkup } = await import('react-dom/server');
  return DOCTYPE + renderToStaticMarkup(createElement(template, props));
}

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
    html: await renderHtml(template, props),
    text: parts.text(props),
    ...(parts.headers ? { headers: parts.headers } : {}),
    firmId: parts.firmId,
    ...(parts.replyTo ? { replyTo: parts.replyTo } : {}),
  };
}
