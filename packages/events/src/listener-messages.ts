// What a listener writes on its stdout (the listener side of the protocol).

const utf8 = new TextEncoder();

/**
 * The token a listener writes when it can take the next event.
 *
 * @example
 * process.stdout.write(LISTENER_READY);
 */
export const LISTENER_READY = 'READY\n';

/**
 * A listener's answer to one event: `RESULT <n>\n<body>`, where `n` is the UTF-8 **byte** length of
 * `body`, which is what supervisord reads. (`supervisor.childutils.listener.send` counts characters,
 * which differs only for non-ASCII bodies.) The default result handler accepts `OK` and rejects
 * anything else, conventionally `FAIL`.
 *
 * @example
 * formatListenerResult('OK'); // 'RESULT 2\nOK'
 * formatListenerResult('FAIL'); // 'RESULT 4\nFAIL'
 */
export function formatListenerResult(body: string): string {
  return `RESULT ${utf8.encode(body).length}\n${body}`;
}
