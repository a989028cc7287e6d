/** An error whose message is written for the user (in French) and may be shown as is. */
export class SafeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafeError';
  }
}
