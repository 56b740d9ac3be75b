// Process groups in Supervisor's order: [group:x] sections first, then the programs no group
// took, then eventlisteners, then fcgi-programs; finally a stable sort by priority.
import type { ParseContext } from './context.ts';
import { EVENT_TYPE_NAMES } from './events-list.ts';
import { byPriorityThenName } from './order.ts';
import { processesFromSection } from './parse-process.ts';
import { existingUserGroup } from './paths.ts';
import { pyRepr } from './python.ts';
import type { FcgiSocket, GroupConfig, ProcessConfig } from './types.ts';
import { toBoolean, toInteger, toListOfStrings, toOctal, toProcessOrGroupName } from './values.ts';

const DEFAULT_RESULT_HANDLER = 'supervisor.dispatchers:default_handler';

function sectionSuffix(section: string): string {
  return section.slice(section.indexOf(':') + 1);
}

export function parseGroups(ctx: ParseContext): GroupConfig[] {
  const sections = [...ctx.ini.sections.keys()];
  const groups: GroupConfig[] = [];
  const taken = new Set<string>();
  const names = { here: ctx.here };
  const name = (section: string) =>
    ctx.attempt(
      () =>
        ctx.convert(
          section,
          undefined,
          { value: sectionSuffix(section), raw: undefined },
          toProcessOrGroupName,
        ),
      undefined,
    );
  const priorityOf = (section: string, fallback: string) =>
    ctx.attempt(() => ctx.option(section, 'priority', fallback, toInteger, names), undefined);

  for (const section of sections.filter((s) => s.startsWith('group:'))) {
    const groupName = name(section);
    const programsFound = ctx.attempt(() => ctx.get(section, 'programs', undefined, names), undefined);
    const programs = toListOfStrings(programsFound?.value ?? '');
    const priority = priorityOf(section, '999');
    if (groupName === undefined || priority === undefined) continue;
    const processes: ProcessConfig[] = [];
    let reported = section; // Supervisor names the last program section it read (a known bug).
    let ok = true;
    for (const program of programs) {
      const asProgram = `program:${program}`;
      const asFcgi = `fcgi-program:${program}`;
      const hasProgram = ctx.ini.sections.has(asProgram);
      const hasFcgi = ctx.ini.sections.has(asFcgi);
      if (!hasProgram && !hasFcgi) {
        ctx.problem({
          section,
          option: 'programs',
          at: programsFound?.raw,
          detail: `names ${pyRepr(program)}, but there is no [program:${program}] or [fcgi-program:${program}] section`,
          supervisorMessage: `[${reported}] names unknown program or fcgi-program ${program}`,
        });
        ok = false;
        continue;
      }
      if (hasProgram && hasFcgi) {
        ctx.problem({
          section,
          option: 'programs',
          at: programsFound?.raw,
          detail: `${pyRepr(program)} is ambiguous: both [program:${program}] and [fcgi-program:${program}] exist`,
          supervisorMessage: `[${reported}] name ${program} is ambiguous (exists as program and fcgi-program)`,
        });
        ok = false;
        continue;
      }
      reported = hasProgram ? asProgram : asFcgi;
      taken.add(reported);
      const got = processesFromSection(ctx, reported, groupName, 'program');
      if (got) processes.push(...got);
      else ok = false;
    }
    if (ok)
      groups.push({
        kind: 'group',
        name: groupName,
        priority,
        programs,
        processes,
        source: ctx.sectionLocation(section),
      });
  }

  for (const section of sections.filter((s) => s.startsWith('program:') && !taken.has(s))) {
    const programName = name(section);
    const priority = priorityOf(section, '999');
    if (programName === undefined || priority === undefined) continue;
    const processes = processesFromSection(ctx, section, programName, 'program');
    if (processes)
      groups.push({
        kind: 'program',
        name: programName,
        priority,
        processes,
        source: ctx.sectionLocation(section),
      });
  }

  for (const section of sections.filter((s) => s.startsWith('eventlistener:'))) {
    const group = parseEventListenerPool(ctx, section);
    if (group) groups.push(group);
  }

  for (const section of sections.filter((s) => s.startsWith('fcgi-program:') && !taken.has(s))) {
    const group = parseFcgiGroup(ctx, section, name(section));
    if (group) groups.push(group);
  }

  return groups.sort(byPriorityThenName);
}

function parseEventListenerPool(ctx: ParseContext, section: string): GroupConfig | undefined {
  const pool = sectionSuffix(section);
  const names = { here: ctx.here };
  const before = ctx.issues.length;
  const priority = ctx.attempt(() => ctx.option(section, 'priority', '-1', toInteger, names), -1);
  const bufferSize = ctx.attempt(() => ctx.option(section, 'buffer_size', '10', toInteger, names), 10);
  if (bufferSize < 1) {
    ctx.problem({
      section,
      option: 'buffer_size',
      at: ctx.get(section, 'buffer_size', undefined, {}, false)?.raw,
      detail: `must be at least 1 (got ${bufferSize})`,
      supervisorMessage: `[${section}] section sets invalid buffer_size (${bufferSize})`,
    });
  }
  const handler = ctx.attempt(
    () => ctx.get(section, 'result_handler', DEFAULT_RESULT_HANDLER, names),
    undefined,
  );
  const resultHandler = handler?.value ?? DEFAULT_RESULT_HANDLER;
  if (resultHandler !== DEFAULT_RESULT_HANDLER) {
    ctx.warn({
      origin: 'supctl',
      section,
      option: 'result_handler',
      ...handler?.raw,
      message: `result_handler ${resultHandler} is a Python callable that supd cannot load; events are handled as by ${DEFAULT_RESULT_HANDLER} (OK accepts, anything else is sent again)`,
    });
  }
  const eventsFound = ctx.attempt(() => ctx.get(section, 'events', '', names), undefined);
  const events = [...new Set(toListOfStrings(eventsFound?.value ?? '').map((e) => e.toUpperCase()))].sort();
  if (eventsFound && events.length === 0) {
    ctx.problem({
      section,
      option: 'events',
      detail: 'is required: list the event types this pool listens to (for example events=PROCESS_STATE)',
      supervisorMessage: `[${section}] section requires an "events" line`,
    });
  }
  for (const event of events) {
    if (!EVENT_TYPE_NAMES.has(event)) {
      ctx.problem({
        section,
        option: 'events',
        at: eventsFound?.raw,
        detail: `unknown event type ${pyRepr(event)} (expected one of ${[...EVENT_TYPE_NAMES].join(', ')})`,
        supervisorMessage: `Unknown event type ${event} in [${section}] events`,
      });
    }
  }
  const redirect = ctx.attempt(
    () => ctx.option(section, 'redirect_stderr', 'false', toBoolean, names),
    false,
  );
  if (redirect) {
    ctx.problem({
      section,
      option: 'redirect_stderr',
      at: ctx.get(section, 'redirect_stderr', undefined, {}, false)?.raw,
      detail: 'cannot be true for an event listener (its stdout carries the listener protocol)',
      supervisorMessage: `[${section}] section sets redirect_stderr=true but this is not allowed because it will interfere with the eventlistener protocol`,
    });
  }
  if (ctx.issues.length > before) return undefined;
  const processes = processesFromSection(ctx, section, pool, 'eventlistener');
  if (!processes) return undefined;
  return {
    kind: 'eventlistener',
    name: pool,
    priority,
    processes,
    events,
    bufferSize,
    resultHandler,
    source: ctx.sectionLocation(section),
  };
}

// Python's os.path.normpath of an absolute path: `.` and `..` resolved, slashes collapsed (two
// leading ones kept), no trailing slash.
function normalizeSocketPath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `${/^\/\/(?!\/)/.test(path) ? '//' : '/'}${parts.join('/')}`;
}

function parseFcgiSocket(
  url: string,
  owner: string | null,
  mode: number | null,
): { socket: FcgiSocket } | { detail: string; supervisorMessage: string } {
  if (url.startsWith('unix://')) {
    const path = url.slice(7);
    if (!path.startsWith('/')) {
      return {
        detail: `unix socket path ${pyRepr(path)} is not absolute`,
        supervisorMessage: `('Unix socket path %s is not an absolute path', ${pyRepr(path)})`,
      };
    }
    // Normalised as supervisord's (`/a/./b/..//s.sock` is `/a/s.sock`, in the URL too).
    return { socket: { family: 'unix', path: normalizeSocketPath(path), owner, mode: mode ?? 0o700 } };
  }
  if (owner !== null || mode !== null) {
    return {
      detail: 'socket_owner and socket_mode only apply to unix:// sockets',
      supervisorMessage: 'socket_owner and socket_mode params should only be used with a Unix domain socket',
    };
  }
  const m = /^tcp:\/\/([^\s:]+):(\d+)$/.exec(url);
  if (m) return { socket: { family: 'inet', host: m[1]!.toLowerCase(), port: Number(m[2]) } };
  return {
    detail: `bad socket ${pyRepr(url)} (expected unix:///absolute/path or tcp://host:port)`,
    supervisorMessage: `('Bad socket format %s', ${pyRepr(url)})`,
  };
}

function parseFcgiGroup(
  ctx: ParseContext,
  section: string,
  programName: string | undefined,
): GroupConfig | undefined {
  const names = { here: ctx.here };
  const before = ctx.issues.length;
  const priority = ctx.attempt(() => ctx.option(section, 'priority', '999', toInteger, names), 999);
  const backlog = ctx.attempt(() => {
    const found = ctx.get(section, 'socket_backlog', undefined, names);
    if (!found) return null;
    const n = ctx.convert(section, 'socket_backlog', found, toInteger);
    if (n < 1 || n > 65535) {
      ctx.problem({
        section,
        option: 'socket_backlog',
        at: found.raw,
        detail: `must be 1-65535 (got ${n})`,
        supervisorMessage: `Invalid socket_backlog value ${n}`,
      });
    }
    return n;
  }, null);
  const owner = ctx.attempt(() => {
    const found = ctx.get(section, 'socket_owner', undefined, names);
    if (!found) return null;
    ctx.convert(section, 'socket_owner', found, (v) =>
      existingUserGroup(ctx, v, `Invalid socket_owner value ${v}`),
    );
    return found.value;
  }, null);
  const mode = ctx.attempt(() => {
    const found = ctx.get(section, 'socket_mode', undefined, names);
    return found
      ? ctx.convert(section, 'socket_mode', found, (v) => toOctal(v, `Invalid socket_mode value ${v}`))
      : null;
  }, null);
  const socketFound = ctx.attempt(
    () => ctx.get(section, 'socket', undefined, { ...names, program_name: programName ?? '' }),
    undefined,
  );
  if (!socketFound?.value) {
    ctx.problem({
      section,
      option: 'socket',
      detail: 'is required (for example socket=unix:///run/app.sock or socket=tcp://127.0.0.1:9000)',
      supervisorMessage: `[${section}] section requires a "socket" line`,
    });
    return undefined;
  }
  const parsed = parseFcgiSocket(socketFound.value, owner, mode);
  if ('detail' in parsed) {
    ctx.problem({
      section,
      option: 'socket',
      at: socketFound.raw,
      detail: parsed.detail,
      supervisorMessage: `${parsed.supervisorMessage} in [${section}] socket`,
    });
    return undefined;
  }
  if (programName === undefined || ctx.issues.length > before) return undefined;
  const processes = processesFromSection(ctx, section, programName, 'fcgi-program');
  if (!processes) return undefined;
  return {
    kind: 'fcgi-program',
    name: programName,
    priority,
    processes,
    socketUrl:
      parsed.socket.family === 'unix'
        ? `unix://${parsed.socket.path}`
        : `tcp://${parsed.socket.host}:${parsed.socket.port}`,
    socket: parsed.socket,
    socketBacklog: backlog,
    source: ctx.sectionLocation(section),
  };
}
