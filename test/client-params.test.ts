import { clientListHref, parseClientListParams } from '@/lib/clients/schemas';

describe('the Clients page state in the URL', () => {
  const defaults = {
    tab: 'mes-clients',
    q: '',
    missingOnly: false,
    lateOnly: false,
    sort: 'name',
    dir: 'asc',
    page: 1,
    size: 25,
    columns: ['recus', 'export', 'solde', 'tva', 'echeance', 'comptables'],
  };

  it('reads a full state', () => {
    expect(
      parseClientListParams({ tab: 'tous', q: '  société ', missing: '1', sort: 'balance', dir: 'desc', page: '4' }),
    ).toEqual({
      tab: 'tous',
      q: 'société',
      missingOnly: true,
      lateOnly: false,
      sort: 'balance',
      dir: 'desc',
      page: 4,
      size: 25,
      columns: defaults.columns,
    });
    expect(parseClientListParams({ taille: '100' }).size).toBe(100);
  });

  it.each([
    [{ page: '-1' }],
    [{ page: '0' }],
    [{ page: '1000000000' }],
    [{ page: 'abc' }],
    [{ page: '2.5' }],
    [{ page: '1e3x' }],
    [{ sort: 'drop table' }],
    [{ dir: 'sideways' }],
    [{ tab: 'admin' }],
    [{ missing: 'yes' }],
    [{ taille: '1000' }],
    [{ taille: '26' }],
    [{ unknown: 'x', utm_source: 'mail' }],
  ])('falls back to the default for %j', (input) => {
    expect(parseClientListParams(input)).toEqual(defaults);
  });

  it('keeps the valid parameters when another one is bad', () => {
    expect(parseClientListParams({ q: 'bio', page: 'abc', sort: 'ready' })).toMatchObject({
      q: 'bio',
      page: 1,
      sort: 'ready',
    });
  });

  it('takes the first of repeated parameters', () => {
    expect(parseClientListParams({ tab: ['tous', 'invitations'] }).tab).toBe('tous');
  });

  it('writes back a URL that reads as the same state, leaving defaults out', () => {
    const state = parseClientListParams({
      tab: 'tous',
      q: 'L’Œuvre & fils',
      missing: '1',
      sort: 'missing',
      dir: 'desc',
      page: '2',
      taille: '50',
    });
    const href = clientListHref(state);
    const query = Object.fromEntries(new URL(href, 'http://x').searchParams);
    expect(parseClientListParams(query)).toEqual(state);
    expect(clientListHref(parseClientListParams({}))).toBe('/clients');
  });

  it('reads and writes the columns shown: a list, the form’s repeated boxes, or the name alone', () => {
    expect(parseClientListParams({ colonnes: 'solde,recus' }).columns).toEqual(['recus', 'solde']);
    // The form sends « nom » (always) and each ticked box.
    expect(parseClientListParams({ colonnes: ['nom', 'tva', 'comptables'] }).columns).toEqual(['tva', 'comptables']);
    expect(parseClientListParams({ colonnes: 'nom' }).columns).toEqual([]);
    expect(parseClientListParams({ colonnes: '__proto__,constructor,\u0000' }).columns).toEqual([]);
    const some = parseClientListParams({ colonnes: 'echeance,solde' });
    expect(clientListHref(some)).toBe('/clients?colonnes=solde%2Cecheance');
    expect(clientListHref(parseClientListParams({ colonnes: 'nom' }))).toBe('/clients?colonnes=nom');
    const nameOnly = parseClientListParams({ colonnes: 'nom' });
    for (const state of [some, nameOnly])
      expect(
        parseClientListParams(Object.fromEntries(new URL(clientListHref(state), 'http://x').searchParams)),
      ).toEqual(state);
    expect(parseClientListParams({ colonnes: 'recus,export,solde,tva,echeance,comptables' })).toEqual(defaults);
  });
});
