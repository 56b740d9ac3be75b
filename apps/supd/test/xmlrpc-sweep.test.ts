// Compatibility e2e: every XML-RPC method of Supervisor's API, with good and bad arguments, called
// by Python's own xmlrpc.client (xmlrpc-sweep.py) against the built supd and against Debian's
// supervisord, and compared call by call. What differs on purpose is listed below, with why;
// there supd must still answer as XML-RPC (a fault or a result, or a 400 for what is not
// XML-RPC at all), never with a 500, a dropped connection or silence.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { BIN, runE2e } from './helpers.ts';

const SUPERVISORD = '/usr/bin/supervisord';
const hasSupervisord = existsSync(SUPERVISORD);
const hasPython = spawnable('python3');
if (!hasPython) console.warn('XML-RPC sweep skipped: python3 is not installed');
if (hasPython && !hasSupervisord) {
  console.warn('XML-RPC sweep not compared: /usr/bin/supervisord is not installed (supd checked alone)');
}

function spawnable(command: string): boolean {
  return ['/usr/bin', '/bin', '/usr/local/bin'].some((dir) => existsSync(join(dir, command)));
}

/** Calls whose answers differ from supervisord 4.2.5's on purpose (by the sweep's labels). */
const DELIBERATE: readonly { readonly why: string; readonly labels: RegExp }[] = [
  {
    why: 'system.methodHelp returns supd’s own one-line summaries, not Supervisor’s docstrings',
    labels: /^methodHelp (supervisor|system)\./,
  },
  {
    why: 'an argument of the wrong type (int, bool, array, struct, nil, double, a string for a flag or an offset) is INCORRECT_PARAMETERS, where supervisord answers 500, BAD_NAME, SIGNATURE_UNSUPPORTED or coerces it',
    labels:
      /^(methodHelp int|methodSignature int|getProcessInfo (int|bool|array|struct|nil)|(read|tail)Process(Stdout|Stderr)Log (int name|double offset|bool offsets)|(start|stop)Process int|(start|stop)ProcessGroup int|(add|remove)ProcessGroup int|signalProcess int name|sendProcessStdin (array chars|int name)|sendRemoteCommEvent int (type|data)|clearProcessLogs int|readLog double|startProcess string wait 'no'|stopProcess string wait 'false'|startProcessGroup string wait|startAllProcesses string wait)$/,
  },
  {
    why: 'the state such a call (a string wait flag) left a process in, recorded before the next step sets it right',
    labels: /^state of manual after (startProcess string wait 'no'|stopProcess string wait 'false')$/,
  },
  {
    why: 'a malformed system.multicall gets a fault per bad element, where supervisord fails the whole request (500) or raises AttributeError',
    labels:
      /^multicall (params struct|methodName (int|empty)|element (string|int|array)|arg string|bad type inside .*)$/,
  },
  {
    why: 'supd’s Content-Length counts bytes; supervisord’s counts characters of a deferred reply',
    labels: /^multicall deferred with non-ASCII reply$/,
  },
  {
    why: 'what is not XML-RPC (no body, bad UTF-8, a declared Latin-1, a DOCTYPE) is a 400, where supervisord hangs, drops the connection or expands entities; odd values are INCORRECT_PARAMETERS, not 500',
    labels:
      /^raw (empty body \(3s timeout\)|nil name|non-utf8 byte in string|latin-1 declared|double name|dateTime name|huge int|doctype entity)$/,
  },
  {
    why: 'a log read that cuts a UTF-8 character gives U+FFFD, where supervisord answers 500',
    labels:
      /^((read|tail)ProcessStderrLog talker (0,5|5,1|-4,0|0,4|4,2)|readProcessStderrLog string offsets)$/,
  },
];

interface Entry {
  readonly label: string;
  readonly call: string;
  readonly out: Record<string, unknown>;
}

function sweep(daemon: readonly string[]): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    execFile(
      'python3',
      [join(import.meta.dirname, 'xmlrpc-sweep.py'), '--', ...daemon],
      { maxBuffer: 64 * 1024 * 1024, timeout: 150_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`the sweep of ${daemon.join(' ')} failed: ${error.message}\n${stderr}`));
        else
          resolve(
            stdout
              .trim()
              .split('\n')
              .map((line) => JSON.parse(line) as Entry),
          );
      },
    );
  });
}

const deliberate = (label: string) => DELIBERATE.some((d) => d.labels.test(label));

describe.runIf(runE2e && hasPython)('XML-RPC: every method, good and bad arguments', () => {
  test(hasSupervisord
    ? 'supd answers as supervisord does, call by call'
    : 'supd answers every call', async () => {
    const supd = await sweep([process.execPath, BIN]);
    // Never a 500, a dropped connection or silence, whatever was sent.
    const broken = supd.filter(
      (e) => e.out.http_status === 500 || 'connection_error' in e.out || 'timeout' in e.out,
    );
    expect(broken).toEqual([]);
    expect(supd.length).toBeGreaterThan(600);
    if (!hasSupervisord) return;
    const reference = await sweep([SUPERVISORD]);
    expect(supd.map((e) => e.label)).toEqual(reference.map((e) => e.label));
    const differences = supd.flatMap((e, i) => {
      const theirs = reference[i]!;
      if (JSON.stringify(e) === JSON.stringify(theirs) || deliberate(e.label)) return [];
      return [{ call: e.call, supervisord: theirs.out, supd: e.out }];
    });
    expect(differences).toEqual([]);
    // The list of deliberate differences stays true: each still names a call that differs.
    for (const { why, labels } of DELIBERATE) {
      const differing = supd.filter(
        (e, i) => labels.test(e.label) && JSON.stringify(e) !== JSON.stringify(reference[i]),
      );
      expect(differing.length, why).toBeGreaterThan(0);
    }
  }, 400_000);
});
