import { describe, expect, it } from 'vitest';
import { BadInputError } from '../../src/errors.ts';
import { toPageRequest } from '../../src/paging/page-request.ts';

describe('Relay connection arguments', () => {
  it('read the first 20 items when no argument is given', () => {
    expect(toPageRequest({})).toEqual({ direction: 'forward', size: 20, cursor: undefined });
  });

  it('treat explicit nulls as not given, as Relay sends them', () => {
    expect(toPageRequest({ first: null, after: null, last: 5, before: 'c' })).toEqual({
      direction: 'backward',
      size: 5,
      cursor: 'c',
    });
  });

  it('page backward from the end of the list with `last` alone', () => {
    expect(toPageRequest({ last: 3 })).toEqual({ direction: 'backward', size: 3, cursor: undefined });
  });

  it('accept a page size of 0 and of exactly the cap', () => {
    expect(toPageRequest({ first: 0 }).size).toBe(0);
    expect(toPageRequest({ first: 100 }).size).toBe(100);
  });

  it.each([
    [{ first: 101 }, /`first` must be a whole number from 0 to 100; got 101/],
    [{ last: -1 }, /`last` must be a whole number from 0 to 100; got -1/],
    [{ first: 1, last: 1 }, /not both/],
    [{ after: 'a', before: 'b' }, /not both/],
    [{ last: 2, after: 'a' }, /`after` pages forward/],
    [{ first: 2, before: 'b' }, /`before` pages backward/],
  ])('refuse %j with a message that says what is expected', (args, message) => {
    expect(() => toPageRequest(args)).toThrow(BadInputError);
    expect(() => toPageRequest(args)).toThrow(message);
  });
});
