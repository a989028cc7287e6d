import { redactConsole, redactLinkTokens } from '@/lib/server/redact';

describe('no link’s token in a log line', () => {
  it.each([
    ['/recus/demo-recus-boucherie-lefevre-fils-000000000/envoyer', '/recus/[token]/envoyer'],
    [
      'Request body exceeded 10MB for /recus/abcDEF123_-xyz/envoyer.',
      'Request body exceeded 10MB for /recus/[token]/envoyer.',
    ],
    ['GET https://portail.example.fr/invitation/Zm9vYmFy?x=1', 'GET https://portail.example.fr/invitation/[token]?x=1'],
    ['{"path":"/desabonnement/tok3n"}', '{"path":"/desabonnement/[token]"}'],
    ['POST /api/unsubscribe/t0k', 'POST /api/unsubscribe/[token]'],
    ['/clients?token=secret&page=2', '/clients?token=[token]&page=2'],
    ['/recus/[token]', '/recus/[token]'],
    ['/clients/4f0c/recus/9a1b', '/clients/4f0c/recus/[token]'],
  ])('%s', (line, expected) => {
    expect(redactLinkTokens(line)).toBe(expected);
  });

  it('applies to whatever the framework writes through console', () => {
    const written: string[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => {
      written.push(args.map(String).join(' '));
    };
    try {
      redactConsole();
      console.warn(
        'Request body exceeded %s for %s',
        '10MB',
        '/recus/s3cr3t-token/envoyer',
        new Error('at /invitation/abc'),
      );
    } finally {
      console.warn = original;
    }
    expect(written.join('\n')).not.toMatch(/s3cr3t-token|invitation\/abc/);
    expect(written.join('\n')).toContain('/recus/[token]/envoyer');
  });
});
