import type { SourceLocation } from './ini-reader.ts';

/** One thing wrong with a config, located as precisely as the input allows. */
export interface ConfigIssue {
  readonly file?: string;
  readonly line?: number;
  readonly section?: string;
  readonly option?: string;
  /** What is wrong, in supctl's words (`invalid value 'yes' (expected true, false or unexpected)`). */
  readonly detail: string;
  /** The same problem as supervisord words it after `Error: `. */
  readonly supervisorMessage: string;
}

/** `supervisord.conf:12 [program:web] autorestart: invalid value ...` */
export function formatIssue(issue: Omit<ConfigIssue, 'supervisorMessage'>): string {
  let where = '';
  if (issue.file !== undefined) where = issue.line !== undefined ? `${issue.file}:${issue.line}` : issue.file;
  if (issue.section !== undefined) where += `${where ? ' ' : ''}[${issue.section}]`;
  if (issue.option !== undefined) where += ` ${issue.option}`;
  return where ? `${where}: ${issue.detail}` : issue.detail;
}

/**
 * A config that supd cannot run. `issues` holds every problem found (not just the first);
 * the message lists them one per line, the first line standing alone.
 * @example
 * try { load('supervisord.conf') } catch (e) { if (e instanceof ConfigError) console.error(e.message) }
 */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly section: string | undefined;
  readonly option: string | undefined;
  /** What supervisord would print after `Error: ` (its first problem; it stops there). */
  readonly supervisorMessage: string;

  constructor(issues: readonly ConfigIssue[]) {
    const [first, ...rest] = issues;
    if (!first) throw new TypeError('ConfigError needs at least one issue');
    const lines = [formatIssue(first)];
    if (rest.length) lines.push(`(${rest.length} more problem${rest.length > 1 ? 's' : ''} below)`);
    for (const issue of rest) lines.push(formatIssue(issue));
    super(lines.join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
    this.file = first.file;
    this.line = first.line;
    this.section = first.section;
    this.option = first.option;
    this.supervisorMessage = first.supervisorMessage;
  }
}

/** A value that could not be converted: both wordings, raised by the converters in values.ts. */
export class ValueProblem extends Error {
  readonly supervisorMessage: string;
  constructor(detail: string, supervisorMessage: string) {
    super(detail);
    this.name = 'ValueProblem';
    this.supervisorMessage = supervisorMessage;
  }
}

export type { SourceLocation };
