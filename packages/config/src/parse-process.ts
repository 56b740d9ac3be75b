// One [program:x] / [eventlistener:x] / [fcgi-program:x] section → its processes, with
// Supervisor's option order, defaults, numprocs expansion and per-process `%` expansion.
import { type ParseContext, SectionFailed } from './context.ts';
import { byPriorityThenName } from './order.ts';
import { existingDirPath, existingUser } from './paths.ts';
import { parseEnvironment } from './shlex-env.ts';
import type { ChannelConfig, LogTarget, ProcessConfig, ProgramKind } from './types.ts';
import {
  toAutoRestart,
  toBoolean,
  toByteSize,
  toExitCodes,
  toInteger,
  toOctal,
  toProcessOrGroupName,
  toSignal,
} from './values.ts';

function logTarget(ctx: ParseContext, value: string): LogTarget | 'syslog' {
  const v = value.toLowerCase();
  if (v === 'none' || v === 'off') return { kind: 'none' };
  if (v === 'auto') return { kind: 'auto' };
  if (v === 'syslog') return 'syslog';
  return { kind: 'file', path: existingDirPath(ctx, value) };
}

/**
 * The processes of one section, sorted by priority, or undefined when the section has
 * problems (recorded in ctx, each with Supervisor's ` in section …` suffix).
 */
export function processesFromSection(
  ctx: ParseContext,
  section: string,
  groupName: string,
  kind: ProgramKind,
): ProcessConfig[] | undefined {
  const previous = ctx.suffixSection;
  ctx.suffixSection = section;
  try {
    return readProcesses(ctx, section, groupName, kind);
  } catch (e) {
    if (e instanceof SectionFailed) return undefined;
    throw e;
  } finally {
    ctx.suffixSection = previous;
  }
}

function readProcesses(
  ctx: ParseContext,
  section: string,
  groupName: string,
  kind: ProgramKind,
): ProcessConfig[] | undefined {
  const programName = ctx.convert(
    section,
    undefined,
    { value: section.slice(section.indexOf(':') + 1), raw: undefined },
    toProcessOrGroupName,
  );
  // Supervisor mutates this one object per section as processes are expanded; keep that.
  const names: Record<string, string | number> = {
    here: ctx.here,
    program_name: programName,
    host_node_name: ctx.hostNodeName,
    group_name: groupName,
  };
  const issuesBefore = ctx.issues.length;
  const opt = <T>(key: string, fallback: string, fn: (v: string) => T, onError: T): T =>
    ctx.attempt(() => ctx.option(section, key, fallback, fn, names), onError);

  const priority = opt('priority', '999', toInteger, 999);
  const autostart = opt('autostart', 'true', toBoolean, true);
  const autorestart = opt('autorestart', 'unexpected', toAutoRestart, 'unexpected');
  const startSecs = opt('startsecs', '1', toInteger, 1);
  const startRetries = opt('startretries', '3', toInteger, 3);
  const stopSignal = opt('stopsignal', 'TERM', toSignal, 'TERM');
  const stopWaitSecs = opt('stopwaitsecs', '10', toInteger, 10);
  const stopAsGroup = opt('stopasgroup', 'false', toBoolean, false);
  const killAsGroup = opt('killasgroup', stopAsGroup ? 'true' : 'false', toBoolean, stopAsGroup);
  const exitCodes = opt('exitcodes', '0', toExitCodes, [0]);
  const redirectStderr = opt('redirect_stderr', 'false', toBoolean, false);
  const numprocs = opt('numprocs', '1', toInteger, 1);
  const numprocsStart = opt('numprocs_start', '0', toInteger, 0);
  const environmentText = ctx.get(section, 'environment', '', names, false)!;
  const stdoutCapture = opt('stdout_capture_maxbytes', '0', toByteSize, 0);
  const stdoutEvents = opt('stdout_events_enabled', 'false', toBoolean, false);
  const stderrCapture = opt('stderr_capture_maxbytes', '0', toByteSize, 0);
  const stderrEvents = opt('stderr_events_enabled', 'false', toBoolean, false);
  let serverUrl = ctx.attempt(() => ctx.get(section, 'serverurl', undefined, names)?.value ?? null, null);
  if (serverUrl !== null && serverUrl.trim().toUpperCase() === 'AUTO') serverUrl = null;
  const user = ctx.attempt(() => {
    const found = ctx.get(section, 'user', undefined, names);
    return found ? ctx.convert(section, 'user', found, (v) => existingUser(ctx, v)) : null;
  }, null);
  const umask = ctx.attempt(() => {
    const found = ctx.get(section, 'umask', undefined, names);
    return found ? ctx.convert(section, 'umask', found, (v) => toOctal(v)) : null;
  }, null);
  const processNameFound = ctx.get(section, 'process_name', '%(program_name)s', names, false)!;
  const processNameTemplate = ctx.attempt(
    () => ctx.convert(section, 'process_name', processNameFound, toProcessOrGroupName),
    '%(program_name)s',
  );
  if (numprocs > 1 && !processNameTemplate.includes('%(process_num)')) {
    ctx.problem({
      section,
      option: 'process_name',
      at: processNameFound.raw,
      detail: `must contain %(process_num) when numprocs is ${numprocs} (for example process_name=%(program_name)s_%(process_num)02d)`,
      supervisorMessage: '%(process_num) must be present within process_name when numprocs > 1',
    });
  }
  if (stopAsGroup && !killAsGroup) {
    ctx.problem({
      section,
      option: 'killasgroup',
      at: ctx.get(section, 'killasgroup', undefined, {}, false)?.raw,
      detail: 'cannot be false when stopasgroup is true (stopasgroup implies killasgroup)',
      supervisorMessage: 'Cannot set stopasgroup=true and killasgroup=false',
    });
  }
  if (ctx.issues.length > issuesBefore) return undefined;

  const processes: ProcessConfig[] = [];
  for (let processNum = numprocsStart; processNum < numprocsStart + numprocs; processNum++) {
    // Supervisor re-applies supd's ENV_* over what the previous process's environment= set.
    for (const key of Object.keys(names)) if (key in ctx.envExpansions) delete names[key];
    Object.assign(names, { process_num: processNum, numprocs });
    const layers = [ctx.envExpansions, names];
    const environment = ctx.convert(
      section,
      'environment',
      {
        value: ctx.expand(
          environmentText.value,
          layers,
          'environment',
          section,
          environmentText.raw,
          'environment',
        ),
        raw: environmentText.raw,
      },
      parseEnvironment,
    );
    for (const [k, v] of Object.entries(environment)) names[`ENV_${k}`] = v;
    const directory = ctx.get(section, 'directory', undefined, names)?.value ?? null;
    const channel = (ch: 'stdout' | 'stderr', capture: number, events: boolean): ChannelConfig => {
      const key = `${ch}_logfile`;
      let logfile: LogTarget | 'syslog' = { kind: 'auto' };
      const found = ctx.get(section, key, undefined, names);
      if (found) {
        const twice = ctx.expand(found.value, layers, key, section, found.raw, key);
        logfile = ctx.convert(section, key, { value: twice, raw: found.raw }, (v) => logTarget(ctx, v));
      }
      const logfileBackups = ctx.option(section, `${key}_backups`, '10', toInteger, names);
      const logfileMaxBytes = ctx.option(section, `${key}_maxbytes`, '50MB', toByteSize, names);
      let syslog = ctx.option(section, `${ch}_syslog`, 'false', toBoolean, names);
      if (logfile === 'syslog') {
        ctx.warn({
          origin: 'supervisor',
          section,
          option: key,
          ...found?.raw,
          message: `For [${section}], ${key}=syslog but this is deprecated and will be removed.  Use ${ch}_syslog=true to enable syslog instead.`,
        });
        logfile = { kind: 'none' };
        syslog = true;
      }
      if (logfile.kind === 'auto' && !logfileMaxBytes) {
        ctx.warn({
          origin: 'supervisor',
          section,
          option: key,
          message: `For [${section}], AUTO logging used for ${key} without rollover, set maxbytes > 0 to avoid filling up filesystem unintentionally`,
        });
      }
      return {
        logfile,
        logfileMaxBytes,
        logfileBackups,
        captureMaxBytes: capture,
        eventsEnabled: events,
        syslog,
      };
    };
    const stdout = channel('stdout', stdoutCapture, stdoutEvents);
    let stderr = channel('stderr', stderrCapture, stderrEvents);
    if (redirectStderr) {
      if (stderr.logfile.kind === 'file') {
        ctx.warn({
          origin: 'supervisor',
          section,
          option: 'stderr_logfile',
          message: `For [${section}], redirect_stderr=true but stderr_logfile has also been set to a filename, the filename has been ignored`,
        });
      }
      stderr = { ...stderr, logfile: { kind: 'none' } };
    }
    const command = ctx.get(section, 'command', undefined, names);
    if (command === undefined) {
      ctx.problem({
        section,
        detail: 'has no command= (every program needs the command to run)',
        supervisorMessage: `program section ${section} does not specify a command`,
      });
      throw new SectionFailed();
    }
    // Once per section, not once per process of numprocs.
    if (processNum === numprocsStart && command.value.trim() === '') {
      ctx.warn({
        origin: 'supctl',
        section,
        option: 'command',
        ...command.raw,
        message: 'empty command: the program cannot start (spawnerr: command is empty), so it ends FATAL',
      });
    }
    const name = ctx.expand(
      processNameTemplate,
      layers,
      'process_name',
      section,
      processNameFound.raw,
      'process_name',
    );
    processes.push({
      name,
      programName,
      kind,
      command: command.value,
      directory,
      umask,
      priority,
      autostart,
      autorestart,
      startSecs,
      startRetries,
      exitCodes,
      stopSignal,
      stopWaitSecs,
      stopAsGroup,
      killAsGroup,
      user,
      redirectStderr,
      stdout,
      stderr,
      environment: { ...ctx.globalEnvironment, ...environment },
      serverUrl,
      processNum,
      numprocs,
      source: ctx.sectionLocation(section),
    });
  }
  return processes.sort(byPriorityThenName);
}
