/** Where something was written: the file (as it was named to us) and 1-based line. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}
/** One `key = value` as read, before any `%` expansion. */
export interface RawOption extends SourceLocation {
  value: string;
}
/** A `[section]`; repeated sections (also across included files) are merged, later keys win. */
export interface RawSection extends SourceLocation {
  readonly name: string;
  readonly options: Map<string, RawOption>;
}
/** Everything read so far: sections in first-seen order, plus `[DEFAULT]`. */
export interface RawIni {
  readonly sections: Map<string, RawSection>;
  readonly defaults: Map<string, RawOption>;
}
/** A line the reader could not understand (Python's ParsingError collects these per file). */
export interface SyntaxProblem extends SourceLocation {
  /** The raw line, with its newline, as Python's message shows it. */
  readonly text: string;
  readonly kind: 'no-section-header' | 'bad-line';
}
export declare function createRawIni(): RawIni;
/** Look a key up the way RawConfigParser.get does: the section first, then `[DEFAULT]`. */
export declare function getRawOption(ini: RawIni, section: string, key: string): RawOption | undefined;
/** Keys of a section as RawConfigParser.options() lists them (section keys, then defaults). */
export declare function rawOptionKeys(ini: RawIni, section: string): string[];
/**
 * Read one file's text into `ini`. Returns the lines Python would reject; a file whose content
 * starts before any section header stops at that line (Python raises at once).
 */
export declare function readIniText(text: string, file: string, ini: RawIni): SyntaxProblem[];
/** Python's text for a file's syntax problems (what supervisord prints after `Error: `). */
export declare function formatSyntaxProblems(problems: readonly SyntaxProblem[]): string;
//# sourceMappingURL=ini-reader.d.ts.map
