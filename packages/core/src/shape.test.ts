import { describe, expect, it } from 'vitest';
import { id, list, nullable, object, optional, orNull, parser, text, time, variants, literal } from './shape.ts';

const Thing = object({
  id,
  name: text(5),
  at: nullable(time),
  note: optional(text(3)),
  tag: optional(id, { lenient: true }),
  tags: optional(list(id, 2), { omitEmpty: true }),
  place: orNull(object({ x: time })),
});
const parseThing = parser(Thing);

describe('declarative record shapes', () => {
  it('keeps only the declared fields, in declared order', () => {
    const out = parseThing({ extra: 1, name: 'n', id: 'a', at: 3, tags: ['t'], place: { x: 1, y: 2 } });
    expect(JSON.stringify(out)).toBe('{"id":"a","name":"n","at":3,"tags":["t"],"place":{"x":1}}');
  });

  it('fails the record on a required field that does not fit', () => {
    expect(parseThing({ id: 'a b', name: 'n' })).toBeNull();
    expect(parseThing({ id: 'a', name: 'toolong' })).toBeNull();
    expect(parseThing({ id: 'a', name: 'n', at: -1 })).toBeNull();
    expect(parseThing([])).toBeNull();
  });

  it('reads absent or null as null for nullable, and a bad value as null for orNull', () => {
    expect(parseThing({ id: 'a', name: 'n', place: 'x' })).toEqual({ id: 'a', name: 'n', at: null, place: null });
  });

  it('fails on a bad optional field, leaves out a bad lenient one and an empty list', () => {
    expect(parseThing({ id: 'a', name: 'n', note: 'long' })).toBeNull();
    expect(parseThing({ id: 'a', name: 'n', tag: '!', tags: [] })).toEqual({
      id: 'a',
      name: 'n',
      at: null,
      place: null,
    });
    expect(parseThing({ id: 'a', name: 'n', tags: ['a', 'b', 'c'] })).toBeNull();
  });

  it('chooses a variant by its tag and refuses an unknown one', () => {
    const parse = parser(
      variants('type', { a: object({ type: literal('a'), n: time }), b: object({ type: literal('b') }) }),
    );
    expect(parse({ type: 'a', n: 1 })).toEqual({ type: 'a', n: 1 });
    expect(parse({ type: 'b', n: 1 })).toEqual({ type: 'b' });
    expect(parse({ type: 'c' })).toBeNull();
    expect(parse({ type: 'toString' })).toBeNull();
  });
});
