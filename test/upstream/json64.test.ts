import { describe, expect, it } from 'vitest';
import { parseJson64, stringifyJson64 } from '../../src/upstream/nxlink/json64.ts';

describe('parsing JSON with 64-bit integers', () => {
  it('parses integers above 2^53 as bigint, digit-exact', () => {
    const parsed = parseJson64('{"id":1021110718827683840,"next":9007199254740993}');
    expect(parsed).toEqual({ id: 1021110718827683840n, next: 9007199254740993n });
  });

  it('keeps safe integers and decimals as plain numbers', () => {
    expect(parseJson64('{"code":0,"limit":50,"max":9007199254740991,"rate":1.25,"neg":-7}')).toEqual({
      code: 0,
      limit: 50,
      max: 9007199254740991,
      rate: 1.25,
      neg: -7,
    });
  });

  it('parses negative integers below -(2^53 - 1) as bigint', () => {
    expect(parseJson64('[-9007199254740993]')).toEqual([-9007199254740993n]);
  });

  it('parses 2^53 itself as bigint: it is the first integer that may stand for another', () => {
    expect(parseJson64('{"at":9007199254740992}')).toEqual({ at: 9007199254740992n });
  });

  it('keeps numbers written with an exponent or a fraction as numbers, however large', () => {
    // biome-ignore lint/correctness/noPrecisionLoss: the literal is what a JSON parse of the text gives
    expect(parseJson64('[1e30,12345678901234567890.5,-2.5E20]')).toEqual([1e30, 12345678901234567890.5, -2.5e20]);
  });

  it('reads integers exactly at any depth, in arrays and objects, next to strings of digits', () => {
    expect(
      parseJson64(
        '{"data":{"list":[{"id":1021110718827683841,"tags":[{"id":18446744073709551615}],"phone":"9007199254740993"}]}}',
      ),
    ).toEqual({
      data: { list: [{ id: 1021110718827683841n, tags: [{ id: 18446744073709551615n }], phone: '9007199254740993' }] },
    });
  });

  it('leaves digits inside strings alone, escaped quotes and all', () => {
    const text = '{"a":"x\\"1021110718827683840","b":"12345678901234567890","c":1021110718827683840}';
    expect(parseJson64(text)).toEqual({
      a: 'x"1021110718827683840',
      b: '12345678901234567890',
      c: 1021110718827683840n,
    });
  });

  it('keeps 16-digit and longer integers within 2^53 as numbers, and long fractions and exponents as numbers', () => {
    expect(
      parseJson64(
        '[1234567890123456,-9007199254740991,0.12345678901234567890,1e-12345678901234567,2E+1234567890123456]',
      ),
    ).toEqual([
      1234567890123456,
      -9007199254740991,
      // biome-ignore lint/correctness/noPrecisionLoss: the literal is what a JSON parse of the text gives
      0.1234567890123456789,
      0,
      Infinity,
    ]);
  });

  it('finds where each string ends past escaped backslashes and quotes, in keys and values alike', () => {
    // "a\\" ends after the escaped backslash; "q\\\"" holds a backslash and a quote.
    const text =
      '{"a\\\\":1021110718827683840,"q\\\\\\"":"9007199254740993\\\\","1021110718827683841":[9007199254740993]}';
    expect(parseJson64(text)).toEqual({
      'a\\': 1021110718827683840n,
      'q\\"': '9007199254740993\\',
      '1021110718827683841': [9007199254740993n],
    });
  });

  it('reads a bare large integer, and one between white space and line breaks', () => {
    expect(parseJson64('9007199254740993')).toBe(9007199254740993n);
    expect(parseJson64('{\n  "id" :\t1021110718827683840 ,\r\n  "n": null, "t": true }')).toEqual({
      id: 1021110718827683840n,
      n: null,
      t: true,
    });
  });

  it('leaves a text without large integers as JSON.parse reads it, strings with mark-like escapes included', () => {
    const text = '{"s":"\\u0000 escaped backslash, not a mark","n":[1,-2,3.5]}';
    expect(parseJson64(text)).toEqual(JSON.parse(text));
  });

  it('reads a string that starts like its own marking as the string it is', () => {
    const text = '{"s":"\\u00001021110718827683840","n":1021110718827683840}';
    expect(parseJson64(text)).toEqual({ s: '\u00001021110718827683840', n: 1021110718827683840n });
  });

  it('throws a SyntaxError on text that is not JSON', () => {
    expect(() => parseJson64('<html>')).toThrow(SyntaxError);
  });
});

describe('writing JSON with 64-bit integers', () => {
  it('writes bigint as bare digits', () => {
    expect(stringifyJson64({ tenant_id: 9007199254740993n, limit: 5 })).toBe(
      '{"tenant_id":9007199254740993,"limit":5}',
    );
  });

  it('round-trips 1021110718827683840 and 2^53+1 digit-exact', () => {
    const text = '{"after":1021110718827683840,"before":9007199254740993,"tags":[{"id":27237}]}';
    expect(stringifyJson64(parseJson64(text))).toBe(text);
  });

  it('writes bigints at any depth and below -(2^53 - 1), and plain values as JSON.stringify does', () => {
    expect(stringifyJson64({ a: [{ id: -9007199254740993n }], s: 'x"y', n: null, f: 1.5, small: 7n })).toBe(
      '{"a":[{"id":-9007199254740993}],"s":"x\\"y","n":null,"f":1.5,"small":7}',
    );
  });

  it('refuses an integer beyond 2^53 held as a JS number, whose digits are already lost', () => {
    expect(() => stringifyJson64({ after: 2 ** 53 + 2 })).toThrow(/pass it as a bigint/);
  });
});
