// Python's shlex.split(s) (POSIX mode, no comments), as Supervisor splits `command=`.

/** A command line that shlex cannot split; `message` is Python's text (`No closing quotation`). */
export class ShlexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShlexError';
  }
}

const WHITESPACE = ' \t\r\n';

/**
 * Splits like a POSIX shell without its features: quotes and backslashes are honoured, nothing is
 * expanded. Throws {@link ShlexError} with Python's message.
 * @example
 * shlexSplit(`sh -c 'echo "hi there"'`); // ['sh', '-c', 'echo "hi there"']
 */
export function shlexSplit(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (WHITESPACE.includes(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (ch === '\\') {
      if (i + 1 >= text.length) throw new ShlexError('No escaped character');
      word += text[i + 1];
      inWord = true;
      i += 2;
    } else if (ch === "'" || ch === '"') {
      inWord = true;
      i++;
      for (;;) {
        if (i >= text.length) throw new ShlexError('No closing quotation');
        const c = text[i]!;
        if (c === ch) {
          i++;
          break;
        }
        // Inside double quotes a backslash escapes only `"` and `\`; elsewhere it stays.
        if (ch === '"' && c === '\\') {
          if (i + 1 >= text.length) throw new ShlexError('No escaped character');
          const next = text[i + 1]!;
          word += next === '"' || next === '\\' ? next : `\\${next}`;
          i += 2;
          continue;
        }
        word += c;
        i++;
      }
    } else {
      word += ch;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}
