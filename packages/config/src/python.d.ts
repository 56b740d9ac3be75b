/** Python's `str.isspace()` for one character. */
export declare function isPySpace(ch: string): boolean;
/** Python's `str.strip()` with no argument (Unicode whitespace as Python defines it). */
export declare function pyStrip(s: string): string;
/** Python's `str.rstrip()`. */
export declare function pyRstrip(s: string): string;
/** Python's `str.strip(chars)`. */
export declare function pyStripChars(s: string, chars: string): string;
/** Python's `repr()` of a str: single quotes unless the text has ' and no ". */
export declare function pyRepr(s: string): string;
/**
 * Python's `int(s)` / `int(s, base)` for a string: surrounding whitespace, a sign, `_` between
 * digits, any Unicode decimal digit; for base 8 an optional `0o` prefix. Returns `undefined`
 * where Python raises ValueError.
 */
export declare function pyInt(s: string, base?: 10 | 8): number | undefined;
/** The message of Python's `int()` ValueError for `s`. */
export declare function pyIntError(s: string): string;
//# sourceMappingURL=python.d.ts.map
