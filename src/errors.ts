/**
 * An error the client caused and can fix (bad cursor, bad paging arguments, bad filter). Its
 * message is shown to the client as is, so it must say what was wrong and what was expected.
 */
export class BadInputError extends Error {
  override readonly name = 'BadInputError';
  readonly code = 'BAD_USER_INPUT';

  constructor(
    message: string,
    /** The argument or input field at fault, as a path, e.g. ['filter', 'email']. */
    readonly field: string[] = [],
  ) {
    super(message);
  }
}
