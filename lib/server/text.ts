// NUL and the other C0/C1 control characters never belong in what a person types: PostgreSQL
// refuses NUL in text (the query fails), and the others hide text or break headers. Tab and line
// breaks are fine where a field takes several lines.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const CONTROL_OR_BREAK = /[\u0000-\u001F\u007F-\u009F]/;

export function hasControlCharacters(value: string, options: { multiline?: boolean } = {}): boolean {
  return (options.multiline ? CONTROL : CONTROL_OR_BREAK).test(value);
}

/** What a URL or header gave us, minus control characters (search boxes, page parameters). */
export function withoutControlCharacters(value: string): string {
  return value.replace(new RegExp(CONTROL_OR_BREAK.source, 'g'), '');
}
