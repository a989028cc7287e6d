// The error codes next-auth puts in `/connexion?error=…` that we explain; anything else (including
// a hand-written "__proto__" or "constructor") gets the default message.
const KNOWN = [
  'CredentialsSignin',
  'TooManyAttempts',
  'AccountDisabled',
  'ServiceUnavailable',
  'SecondFactorRequired',
  'InvalidCode',
  'TooManyCodes',
  'ChallengeExpired',
] as const;

export type LoginErrorKey = `login.errors.${(typeof KNOWN)[number] | 'default'}`;

export function loginErrorKey(code: string | null | undefined): LoginErrorKey {
  const known = KNOWN.find((k) => k === code);
  return `login.errors.${known ?? 'default'}`;
}
