/**
 * Thrown when text that should follow Supervisor's event protocol does not: a header line without
 * `len`, a state payload with a bad `from_state`, a token without `:`, and so on. `input` is the
 * offending text.
 *
 * @example
 * try {
 *   parseEventHeader('hello');
 * } catch (error) {
 *   if (error instanceof EventProtocolError) error.input; // 'hello'
 * }
 */
export class EventProtocolError extends Error {
  override readonly name = 'EventProtocolError';
  /** The text that failed to parse. */
  readonly input: string;

  constructor(message: string, input: string) {
    super(message);
    this.input = input;
  }
}
