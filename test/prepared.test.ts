import fc from 'fast-check';
import { preparedStatement, shapeKey } from '@/db';
import { withTestDatabase } from './db';

withTestDatabase();

// A statement is cached under its shape itself (db/index.ts, preparedStatement): two shapes that
// differ in any field never share a statement, and the order of a shape's keys does not matter.
describe('statements cached per shape', () => {
  const value = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
  const shape = fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), value, { maxKeys: 5 });

  it('never serve one shape’s statement to another', () => {
    const built: unknown[] = [];
    const statement = preparedStatement('probe', (_on, s: Record<string, string | number | boolean | null>) => {
      const made = { shape: s };
      built.push(made);
      return made;
    });
    fc.assert(
      fc.property(shape, shape, (a, b) => {
        const same = shapeKey(a) === shapeKey(b);
        expect(statement(a) === statement(b)).toBe(same);
        // The statement served was built from an equal shape.
        expect(shapeKey(statement(b).shape)).toBe(shapeKey(b));
      }),
    );
  });

  it('read a shape the same whatever the order of its keys', () => {
    fc.assert(
      fc.property(shape, (a) => {
        const reversed = Object.fromEntries(Object.entries(a).reverse());
        expect(shapeKey(reversed)).toBe(shapeKey(a));
      }),
    );
    expect(shapeKey({ tab: 'tous', q: undefined })).toBe(shapeKey({ tab: 'tous' }));
    expect(shapeKey({ paged: true })).not.toBe(shapeKey({ paged: 'true' }));
  });

  it('refuse what is not plain data', () => {
    expect(() => shapeKey({ at: new Date() as never })).toThrow('plain data');
    expect(() => shapeKey({ n: Number.NaN })).toThrow('finite');
  });
});
