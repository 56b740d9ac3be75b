// [inet_http_server*], [unix_http_server*], [rpcinterface:*] and [supervisorctl].
import { resolve } from 'node:path';
import type { ParseContext } from './context.ts';
import { existingUserGroup } from './paths.ts';
import { pyStrip } from './python.ts';
import type { HttpServerConfig, RpcInterfaceConfig, SupervisorctlConfig } from './types.ts';
import { toInetAddress, toOctal } from './values.ts';

function serverName(section: string): string | null {
  const colon = section.indexOf(':');
  return colon < 0 ? null : section.slice(colon + 1);
}

function credentials(
  ctx: ParseContext,
  section: string,
): { username: string | null; password: string | null } {
  const username = ctx.attempt(() => ctx.get(section, 'username', undefined), undefined);
  const password = ctx.attempt(() => ctx.get(section, 'password', undefined), undefined);
  if ((username === undefined) !== (password === undefined)) {
    ctx.problem({
      section,
      option: username === undefined ? 'username' : 'password',
      at: (username ?? password)?.raw,
      detail: 'username and password must be set together (or neither)',
      supervisorMessage: `Section [${section}] contains incomplete authentication: If a username or a password is specified, both the username and password must be specified`,
    });
  }
  return { username: username?.value ?? null, password: password?.value ?? null };
}

/** os.path.normpath(os.path.abspath(os.path.expanduser(p))) */
export function normalizePath(ctx: ParseContext, p: string): string {
  return resolve(ctx.cwd, ctx.expandUser(p));
}

export function parseHttpServers(ctx: ParseContext): HttpServerConfig[] {
  const servers: HttpServerConfig[] = [];
  const sections = [...ctx.ini.sections.keys()];
  for (const section of sections.filter((s) => s.startsWith('inet_http_server'))) {
    const auth = credentials(ctx, section);
    const portFound = ctx.attempt(() => ctx.get(section, 'port', ''), undefined);
    if (portFound === undefined) continue;
    if (!portFound.value) {
      ctx.problem({
        section,
        option: 'port',
        detail: 'is required (for example port=127.0.0.1:9001)',
        supervisorMessage: `section [${section}] has no port value`,
      });
      continue;
    }
    const address = ctx.attempt(() => ctx.convert(section, 'port', portFound, toInetAddress), undefined);
    if (!address) continue;
    servers.push({
      family: 'inet',
      section,
      name: serverName(section),
      ...address,
      ...auth,
      source: ctx.sectionLocation(section),
    });
  }
  for (const section of sections.filter((s) => s.startsWith('unix_http_server'))) {
    const fileFound = ctx.attempt(() => ctx.get(section, 'file', undefined, { here: ctx.here }), null);
    if (fileFound === null) continue;
    if (fileFound === undefined) {
      ctx.problem({
        section,
        option: 'file',
        detail: 'is required (the path of the socket, for example file=/run/supervisor.sock)',
        supervisorMessage: `section [${section}] has no file value`,
      });
      continue;
    }
    const auth = credentials(ctx, section);
    const chown = ctx.attempt(() => {
      const found = ctx.get(section, 'chown', undefined);
      return found
        ? ctx.convert(section, 'chown', found, (v) =>
            existingUserGroup(ctx, v, `Invalid sockchown value ${v}`),
          )
        : null;
    }, null);
    const chmod = ctx.attempt(() => {
      const found = ctx.get(section, 'chmod', undefined);
      return found
        ? ctx.convert(section, 'chmod', found, (v) => toOctal(v, `Invalid chmod value ${v}`))
        : 0o700;
    }, 0o700);
    servers.push({
      family: 'unix',
      section,
      name: serverName(section),
      file: normalizePath(ctx, pyStrip(fileFound.value)),
      chmod,
      chown,
      ...auth,
      source: ctx.sectionLocation(section),
    });
  }
  return servers;
}

const MAIN_FACTORY = 'supervisor.rpcinterface:make_main_rpcinterface';
const FACTORY_KEY = 'supervisor.rpcinterface_factory';

export function parseRpcInterfaces(ctx: ParseContext): RpcInterfaceConfig[] {
  const result: RpcInterfaceConfig[] = [];
  for (const section of [...ctx.ini.sections.keys()].filter((s) => s.startsWith('rpcinterface:'))) {
    const name = section.slice('rpcinterface:'.length);
    const factory = ctx.attempt(() => ctx.get(section, FACTORY_KEY, undefined), null);
    if (factory === null) continue;
    if (factory === undefined) {
      ctx.problem({
        section,
        option: FACTORY_KEY,
        detail: `is required (supervisor.rpcinterface_factory = ${MAIN_FACTORY})`,
        supervisorMessage: `section [${section}] does not specify a ${FACTORY_KEY}`,
      });
      continue;
    }
    const extras: Record<string, string> = {};
    for (const key of ctx.ini.sections.get(section)?.options.keys() ?? []) {
      if (key === FACTORY_KEY) continue;
      const found = ctx.attempt(() => ctx.get(section, key, undefined), undefined);
      if (found) extras[key] = found.value;
    }
    for (const key of ctx.ini.defaults.keys()) {
      if (!(key in extras) && key !== FACTORY_KEY) extras[key] = ctx.ini.defaults.get(key)!.value;
    }
    if (factory.value !== MAIN_FACTORY || Object.keys(extras).length) {
      ctx.warn({
        origin: 'supctl',
        section,
        ...factory.raw,
        message:
          factory.value !== MAIN_FACTORY
            ? `[${section}] uses ${factory.value}, a Python plugin supd cannot load; only Supervisor's own API (${MAIN_FACTORY}) is served`
            : `[${section}] passes options (${Object.keys(extras).join(', ')}) to the rpc interface, which takes none; supervisord refuses to start with this`,
      });
    }
    result.push({ name, factory: factory.value, extras });
  }
  return result;
}

/** `[supervisorctl]` as supervisorctl reads it; supd ignores the section, so problems only warn. */
export function parseSupervisorctl(ctx: ParseContext): SupervisorctlConfig | null {
  const section = 'supervisorctl';
  if (!ctx.ini.sections.has(section)) return null;
  const issuesBefore = ctx.issues.length;
  const get = (key: string, names = {}) =>
    ctx.attempt(() => ctx.get(section, key, undefined, names)?.value, undefined);
  let serverUrl = get('serverurl', { here: ctx.here }) ?? 'http://localhost:9001';
  if (serverUrl.startsWith('unix://')) serverUrl = `unix://${normalizePath(ctx, serverUrl.slice(7))}`;
  const historyFile = get('history_file', { here: ctx.here });
  const config: SupervisorctlConfig = {
    serverUrl,
    username: get('username') ?? null,
    password: get('password') ?? null,
    prompt: get('prompt') ?? 'supervisor',
    historyFile: historyFile === undefined ? null : ctx.expandUser(historyFile),
  };
  // Problems here do not stop supd (supervisord never reads this section): demote them.
  for (const issue of ctx.issues.splice(issuesBefore)) {
    ctx.warn({ origin: 'supctl', ...issue, message: `${issue.detail} (supervisorctl would refuse this)` });
  }
  return config;
}
