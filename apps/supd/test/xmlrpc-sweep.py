#!/usr/bin/env python3
# Usage: xmlrpc-sweep.py [--tmp DIR] [--keep] [--call-timeout S] -- DAEMON_CMD...   e.g.
#   xmlrpc-sweep.py -- /usr/bin/supervisord > a.jsonl
#   xmlrpc-sweep.py -- node apps/supd/bin/supd.cjs > b.jsonl
#   diff a.jsonl b.jsonl     (xmlrpc-sweep.test.ts runs both and compares them call by call)
# Starts DAEMON_CMD -n -c <conf> on a fresh temp config, calls every Supervisor XML-RPC method
# with good and bad arguments, and prints one normalised JSON object per call to stdout
# (progress, slow calls and, on failure, the daemon's output go to stderr). Exit 0 when the sweep
# ran to the end. Stdlib only; one run takes ~55 s against supervisord 4.2.5, ~30 s against supd.
"""XML-RPC compatibility sweep for Supervisor-compatible daemons (stdlib only)."""

import argparse
import base64
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import xmlrpc.client
from xml.parsers.expat import ExpatError

PROC_SECTIONS = """
[program:sleeper]
command=/bin/sleep 100000
startsecs=1

[program:cat]
command=/bin/cat
startsecs=0

[program:talker]
command={d}/talker.sh
startsecs=0

[program:ansi]
command={d}/ansi.sh
startsecs=0

[program:manual]
command=/bin/sleep {manual_arg}
autostart=false
startsecs=1

[program:quick]
command=/bin/sh -c "echo bye; sleep 3; exit 3"
startsecs=0
autorestart=false

[program:doomed]
command=/bin/sh -c "exit 1"
startsecs=1
startretries=0

[program:nofile]
command=/nonexistent/binary
autostart=false

[program:deaf]
command=/bin/sh -c "exec 0<&-; exec /bin/sleep 100000"
startsecs=0

[program:stubborn]
command={d}/stubborn.sh
autostart=false
startsecs=0
stopwaitsecs=3

[program:worker]
command=/bin/sleep 100000
process_name=%(program_name)s_%(process_num)d
numprocs=2
startsecs=1

[group:x]
programs=worker

[eventlistener:listener]
command=/usr/bin/python3 {d}/listener.py
events=PROCESS_STATE,REMOTE_COMMUNICATION
"""

HEADER = """
[unix_http_server]
file={d}/sock

[supervisord]
logfile={d}/supervisord.log
pidfile={d}/supervisord.pid
childlogdir={d}/logs
loglevel=info

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://{d}/sock
"""

SCRIPTS = {
    "talker.sh": "#!/bin/sh\nprintf '0123456789ABCDEFGHI\\n'\nprintf 'err \\303\\251\\303\\274\\n' >&2\nexec /bin/sleep 100000\n",
    "ansi.sh": "#!/bin/sh\nprintf '\\033[31mred\\033[0m\\n'\nexec /bin/sleep 100000\n",
    "stubborn.sh": "#!/bin/sh\ntrap '' TERM\nexec /bin/sleep 100000\n",
    "listener.py": (
        "import sys\n"
        "while True:\n"
        "    sys.stdout.write('READY\\n'); sys.stdout.flush()\n"
        "    line = sys.stdin.readline()\n"
        "    if not line: break\n"
        "    hdr = dict(t.split(':', 1) for t in line.split())\n"
        "    sys.stdin.read(int(hdr['len']))\n"
        "    sys.stdout.write('RESULT 2\\nOK'); sys.stdout.flush()\n"
    ),
}


# ---------------------------------------------------------------- transport

class RawResponse:
    def __init__(self, status, headers, body, declared):
        self.status, self.headers, self.body, self.declared = status, headers, body, declared


def http_exchange(sock_path, body, path="/RPC2", method="POST", timeout=20.0):
    """One HTTP/1.1 request with Connection: close on a fresh unix-socket connection.
    Reads to EOF so that a wrong Content-Length (extra or missing bytes) is visible."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect(sock_path)
        head = (f"{method} {path} HTTP/1.1\r\nHost: localhost\r\nUser-Agent: xmlrpc-sweep\r\n"
                f"Content-Type: text/xml\r\nAccept: text/xml\r\nContent-Length: {len(body)}\r\n"
                f"Connection: close\r\n\r\n").encode()
        s.sendall(head + body)
        deadline = time.monotonic() + timeout
        data = b""
        while True:
            if time.monotonic() > deadline:
                raise socket.timeout("no EOF")
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                # a server that keeps the connection open despite Connection: close:
                # accept the response once it is complete
                if b"\r\n\r\n" in data:
                    break
                raise
            if not chunk:
                break
            data += chunk
            if b"\r\n\r\n" in data:
                s.settimeout(max(0.05, min(timeout, deadline - time.monotonic())))
    finally:
        s.close()
    if b"\r\n\r\n" not in data:
        raise ConnectionError(f"incomplete HTTP response ({len(data)} bytes)")
    raw_head, body = data.split(b"\r\n\r\n", 1)
    lines = raw_head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    status = int(parts[1])
    headers = {}
    for ln in lines[1:]:
        k, _, v = ln.partition(":")
        headers[k.strip().lower()] = v.strip()
    declared = headers.get("content-length")
    if headers.get("transfer-encoding", "").lower() == "chunked":
        out, rest = b"", body
        while rest:
            size_line, _, rest = rest.partition(b"\r\n")
            n = int(size_line.split(b";")[0], 16)
            if n == 0:
                break
            out, rest = out + rest[:n], rest[n + 2:]
        body = out
    return RawResponse(status, headers, body, None if declared is None else int(declared))


class UnixTransport(xmlrpc.client.Transport):
    """xmlrpc.client transport over a unix socket, parsing replies the way supervisorctl's
    SupervisorTransport does (non-200 -> ProtocolError; body decoded, then re-encoded as ASCII
    with character references before it is fed to expat)."""

    def __init__(self, sock_path, timeout):
        super().__init__()
        self.sock_path, self.timeout, self.last = sock_path, timeout, None

    def request(self, host, handler, request_body, verbose=False):
        if isinstance(request_body, str):
            request_body = request_body.encode()
        r = http_exchange(self.sock_path, request_body, handler, timeout=self.timeout)
        self.last = r
        if r.status != 200:
            raise xmlrpc.client.ProtocolError(host + handler, r.status, "", r.headers)
        data = r.body.decode("utf-8").encode("ascii", "xmlcharrefreplace")
        p, u = self.getparser()
        p.feed(data)
        p.close()
        return u.close()


# ---------------------------------------------------------------- normalisation

class Norm:
    def __init__(self, tmp, daemon_pid):
        self.tmp, self.daemon_pid = tmp, daemon_pid

    def s(self, v):
        v = v.replace(self.tmp, "<tmp>")
        v = re.sub(r"(-(?:stdout|stderr)---[^/\s']*?)-[A-Za-z0-9_]{6,12}\.log", r"\1-<rand>.log", v)
        v = re.sub(r"pid \d+, uptime (\d+ days?, )?\d+:\d\d:\d\d", "pid <pid>, uptime <uptime>", v)
        v = re.sub(r"\b[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M\b", "<date>", v)
        v = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}", "<ts>", v)
        v = re.sub(r"\bpid:\d+", "pid:<pid>", v)
        return v

    def __call__(self, v, key=None):
        if isinstance(v, bool):
            return v
        if isinstance(v, int):
            if key == "pid" and v:
                return "<pid>"
            if key in ("start", "stop", "now") and v:
                return "<time>"
            return v
        if isinstance(v, str):
            return self.s(v)
        if isinstance(v, dict):
            return {k: self(x, k) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            out = [self(x) for x in v]
            # start/stop/signal/clear result arrays are ordered by completion: sort them
            if out and all(isinstance(x, dict) and set(x) == {"name", "group", "status", "description"}
                           for x in out):
                out.sort(key=lambda x: (x["group"], x["name"]))
            return out
        if isinstance(v, float):
            return {"double": v}
        return repr(v)


# ---------------------------------------------------------------- the sweep

class Sweep:
    def __init__(self, cmd, tmp_parent, call_timeout):
        self.cmd, self.call_timeout = cmd, call_timeout
        if tmp_parent:
            os.makedirs(tmp_parent, exist_ok=True)
        self.d = tempfile.mkdtemp(prefix="sweep-", dir=tmp_parent)
        self.sock = os.path.join(self.d, "sock")
        self.conf = os.path.join(self.d, "supervisord.conf")
        self.seq = 0
        self.proc = None
        self.t0 = time.monotonic()

    # -- setup
    def write_conf(self, extra="", manual_arg="100000", drop=()):
        sections = PROC_SECTIONS.format(d=self.d, manual_arg=manual_arg)
        if drop:
            blocks = re.split(r"\n(?=\[)", sections)
            sections = "\n".join(b for b in blocks if not any(b.startswith(f"[program:{n}]") for n in drop))
        with open(self.conf, "w") as f:
            f.write(HEADER.format(d=self.d) + sections + extra)

    def start(self):
        os.makedirs(os.path.join(self.d, "logs"))
        for name, text in SCRIPTS.items():
            p = os.path.join(self.d, name)
            with open(p, "w") as f:
                f.write(text)
            os.chmod(p, 0o755)
        self.write_conf()
        self.out = open(os.path.join(self.d, "daemon.out"), "wb")
        self.proc = subprocess.Popen(self.cmd + ["-n", "-c", self.conf], stdout=self.out,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     start_new_session=True)
        self.norm = Norm(self.d, self.proc.pid)
        self.transport = UnixTransport(self.sock, self.call_timeout)
        self.proxy = xmlrpc.client.ServerProxy("http://localhost/RPC2", transport=self.transport,
                                               allow_none=True)

    def q(self, method, *args):
        """Unrecorded call (setup, polling)."""
        return getattr(self.proxy, method)(*args)

    def poll(self, what, fn, timeout=30.0):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"daemon exited ({self.proc.returncode}) while waiting for {what}")
            try:
                last = fn()
                if last:
                    return last
            except (OSError, xmlrpc.client.Fault, xmlrpc.client.ProtocolError, ExpatError) as e:
                last = e
            time.sleep(0.05)
        raise RuntimeError(f"timed out waiting for {what} (last: {last!r})")

    def soft_poll(self, what, fn, timeout):
        try:
            self.poll(what, fn, timeout)
        except RuntimeError as e:
            if self.proc.poll() is not None:
                raise
            self.emit("POLL TIMEOUT", what, {"error": self.norm.s(str(e))})

    def states(self):
        return {f"{p['group']}:{p['name']}": p["statename"] for p in self.q("supervisor.getAllProcessInfo")}

    def wait_states(self, want, timeout=20.0):
        """Poll until every process in want is in (one of) the given state(s). On timeout,
        record the states seen (so the transcript shows it) and carry on."""
        def ok():
            st = self.states()
            return all(st.get(k) in (v if isinstance(v, tuple) else (v,)) for k, v in want.items())
        try:
            self.poll(f"states {want}", ok, timeout)
        except RuntimeError:
            if self.proc.poll() is not None:
                raise
            self.emit("WAIT TIMEOUT", repr(sorted(want.items())), {"states": self.states()})

    def ensure(self, name, running, after):
        """Bring process name to RUNNING (or a stopped state) without recording, for steps whose
        previous call may legitimately have behaved differently; records whether it was running
        (STARTING and RUNNING alike: which one depends on timing) after the step `after`."""
        st = self.q("supervisor.getProcessInfo", name)["statename"]
        found = "running" if st in ("STARTING", "RUNNING") else st
        self.emit(f"state of {name} after {after}", "getProcessInfo()['statename']", {"result": found})
        try:
            if running and st not in ("RUNNING", "STARTING"):
                self.q("supervisor.startProcess", name, False)
            elif not running and st in ("RUNNING", "STARTING"):
                self.q("supervisor.stopProcess", name, False)
        except xmlrpc.client.Fault:
            pass
        self.wait_states({f"{name}:{name}": "RUNNING" if running else ("STOPPED", "EXITED", "FATAL")})

    # -- recording
    def emit(self, label, call, out):
        self.seq += 1
        print(json.dumps({"label": label, "call": call, "out": out}, sort_keys=True,
                         ensure_ascii=True), flush=True)

    def annotate(self, out):
        r = self.transport.last
        if r is not None and r.status == 200:
            if r.declared is not None and r.declared != len(r.body):
                out["content_length_mismatch"] = {"declared": r.declared, "body_bytes": len(r.body)}
            if r.declared is None:
                out["content_length"] = "absent"
            ct = r.headers.get("content-type")
            if ct != "text/xml":
                out["content_type"] = ct
        return out

    def run(self, label, call, fn, post=None):
        self.transport.last = None
        t = time.monotonic()
        try:
            v = fn()
            out = {"result": post(v) if post else self.norm(v)}
        except xmlrpc.client.Fault as f:
            out = {"fault": [f.faultCode, self.norm.s(f.faultString)]}
        except xmlrpc.client.ProtocolError as e:
            out = {"http_status": e.errcode}
        except ExpatError as e:
            out = {"invalid_xml": str(e).split(":")[0]}
        except UnicodeDecodeError:
            out = {"body_not_utf8": True}
        except socket.timeout:
            out = {"timeout": True}
        except (ConnectionError, OSError) as e:
            out = {"connection_error": type(e).__name__}
        if time.monotonic() - t > 1.5:
            print(f"slow call: {label}: {time.monotonic() - t:.1f}s", file=sys.stderr)
        self.emit(label, call, self.annotate(out))
        return out

    def c(self, label, method, *args, post=None):
        call = f"{method}({', '.join(self.norm.s(repr(a)) for a in args)})"
        return self.run(label, call, lambda: getattr(self.proxy, method)(*args), post)

    def raw(self, label, body, desc=None, timeout=None):
        """POST a hand-made XML-RPC body (bytes)."""
        def fn():
            saved = self.transport.timeout
            self.transport.timeout = timeout or saved
            try:
                return self.transport.request("localhost", "/RPC2", body)
            finally:
                self.transport.timeout = saved
        def post(v):
            return self.norm(v[0] if isinstance(v, tuple) and len(v) == 1 else v)
        return self.run(label, desc or body.decode("utf-8", "backslashreplace"), fn, post)

    def http(self, label, method, path, body=b""):
        self.transport.last = None
        try:
            r = http_exchange(self.sock, body, path, method, self.call_timeout)
            out = {"http_status": r.status}
        except socket.timeout:
            out = {"timeout": True}
        except (ConnectionError, OSError) as e:
            out = {"connection_error": type(e).__name__}
        self.emit(label, f"{method} {path} body={body!r}", out)

    # ------------------------------------------------------------ phases
    def phase_system(self):
        c = self.c
        methods = c("system.listMethods", "system.listMethods").get("result", [])
        c("system.listMethods+arg", "system.listMethods", "x")
        for m in methods:
            c(f"methodSignature {m}", "system.methodSignature", m)
            c(f"methodHelp {m}", "system.methodHelp", m)
        for bad in ("supervisor.nope", "nope", "system.nope", "supervisor._update", ""):
            c(f"methodSignature bad {bad!r}", "system.methodSignature", bad)
            c(f"methodHelp bad {bad!r}", "system.methodHelp", bad)
        c("methodHelp no args", "system.methodHelp")
        c("methodHelp int", "system.methodHelp", 1)
        c("methodHelp extra", "system.methodHelp", "system.listMethods", "x")
        c("methodSignature no args", "system.methodSignature")
        c("methodSignature int", "system.methodSignature", 5)
        c("methodSignature extra", "system.methodSignature", "system.listMethods", 1)

        mc = "system.multicall"
        c("multicall empty", mc, [])
        c("multicall mixed", mc, [
            {"methodName": "supervisor.getAPIVersion"},
            {"methodName": "supervisor.getProcessInfo", "params": ["nope"]},
            {"methodName": "system.multicall", "params": [[]]},
            {"params": []},
            {"methodName": "supervisor.startProcess", "params": ["sleeper"]},
            {"methodName": "supervisor.sendRemoteCommEvent", "params": ["t", "d"]},
            {"methodName": "supervisor.getState", "params": []},
            {"methodName": "supervisor.nope"},
            {"methodName": "nope"},
            {"methodName": "supervisor.getState", "params": ["extra"]},
            {"methodName": "system.listMethods"},
        ])
        c("multicall nested multicall", mc, [{"methodName": "system.multicall",
                                              "params": [[{"methodName": "supervisor.getState"}]]}])
        c("multicall params string", mc, [{"methodName": "supervisor.getProcessInfo", "params": "sleeper"}])
        c("multicall params int", mc, [{"methodName": "supervisor.getState", "params": 5}])
        c("multicall params struct", mc, [{"methodName": "supervisor.getState", "params": {}}])
        c("multicall methodName int", mc, [{"methodName": 5}])
        c("multicall methodName empty", mc, [{"methodName": ""}])
        c("multicall element string", mc, ["supervisor.getState"])
        c("multicall element int", mc, [5])
        c("multicall element array", mc, [["supervisor.getState"]])
        c("multicall arg struct", mc, {"methodName": "supervisor.getState"})
        c("multicall arg string", mc, "supervisor.getState")
        c("multicall arg int", mc, 5)
        c("multicall no args", mc)
        c("multicall two args", mc, [], [])
        c("multicall bad type inside (getProcessInfo int)", mc,
          [{"methodName": "supervisor.getProcessInfo", "params": [1]}])
        c("multicall deferred with non-ASCII reply", mc, [
            {"methodName": "supervisor.startProcess", "params": ["manual"]},
            {"methodName": "supervisor.getProcessInfo", "params": ["caf\u00e9 \u2603"]},
            {"methodName": "supervisor.stopProcess", "params": ["manual"]},
        ])
        c("multicall with deferred", mc, [
            {"methodName": "supervisor.startProcess", "params": ["manual"]},
            {"methodName": "supervisor.getProcessInfo", "params": ["manual"]},
            {"methodName": "supervisor.stopProcess", "params": ["manual"]},
            {"methodName": "supervisor.getProcessInfo", "params": ["manual"]},
            {"methodName": "supervisor.stopProcess", "params": ["manual"]},
            {"methodName": "supervisor.sendRemoteCommEvent", "params": ["t", "\u00e9"]},
        ])

        for name in ("nope", "supervisor.nope", "system.nope", "supervisor._update",
                     "supervisor._getGroupAndProcess", "supervisor.API_VERSION", "supervisor.supervisord",
                     "supervisor.getState.x", "Supervisor.getState", "SUPERVISOR.getState",
                     "supervisor.getstate", "foo.getState", ".getState", "supervisor.", "system.",
                     "supervisor..getState", " supervisor.getState", "supervisor.getState ",
                     "system.multicall.x", "supervisor.getState\u00e9"):
            c(f"unknown method {name!r}", name)

    def phase_raw(self):
        x = b"<?xml version='1.0'?>\n"
        r = self.raw
        r("raw getState", x + b"<methodCall><methodName>supervisor.getState</methodName><params></params></methodCall>")
        r("raw no params element", x + b"<methodCall><methodName>supervisor.getState</methodName></methodCall>")
        r("raw empty methodName", x + b"<methodCall><methodName></methodName><params/></methodCall>")
        r("raw missing methodName", x + b"<methodCall><params/></methodCall>")
        r("raw not xml", b"hello there")
        r("raw empty body (3s timeout)", b"", timeout=3.0)
        r("raw truncated xml", x + b"<methodCall><methodName>supervisor.getState</methodName><par")
        r("raw wrong root", x + b"<foo><methodName>supervisor.getState</methodName></foo>")
        r("raw methodResponse as request", x + b"<methodResponse><params><param><value><int>1</int></value></param></params></methodResponse>")
        gpi = x + b"<methodCall><methodName>supervisor.getProcessInfo</methodName><params><param><value>%s</value></param></params></methodCall>"
        r("raw untyped value", gpi % b"sleeper")
        r("raw i8 name", gpi % b"<i8>5</i8>")
        r("raw unknown type tag", gpi % b"<foo>sleeper</foo>")
        r("raw nil name", gpi % b"<nil/>")
        r("raw empty value", gpi % b"")
        r("raw base64 name", gpi % (b"<base64>" + base64.b64encode(b"sleeper") + b"</base64>"))
        r("raw base64 non-utf8 name", gpi % (b"<base64>" + base64.b64encode(b"sl\xffeeper") + b"</base64>"))
        r("raw non-utf8 byte in string", gpi % b"<string>sl\xffeeper</string>",
          desc="getProcessInfo(<string>sl\\xffeeper</string>) raw byte 0xff")
        r("raw latin-1 declared", b"<?xml version='1.0' encoding='ISO-8859-1'?>\n<methodCall><methodName>supervisor.getProcessInfo</methodName><params><param><value><string>caf\xe9</string></value></param></params></methodCall>",
          desc="encoding=ISO-8859-1 getProcessInfo('caf\\xe9')")
        r("raw char ref ESC", gpi % b"<string>a&#27;b</string>")
        r("raw char ref e-acute", gpi % b"<string>caf&#233;</string>")
        r("raw CDATA name", gpi % b"<string><![CDATA[sleeper]]></string>")
        r("raw double name", gpi % b"<double>1.5</double>")
        r("raw dateTime name", gpi % b"<dateTime.iso8601>20250101T00:00:00</dateTime.iso8601>")
        r("raw bad int text", x + b"<methodCall><methodName>supervisor.readLog</methodName><params><param><value><int>abc</int></value></param><param><value><int>0</int></value></param></params></methodCall>")
        r("raw i8 offsets readLog", x + b"<methodCall><methodName>supervisor.readLog</methodName><params><param><value><i8>-5</i8></value></param><param><value><i8>0</i8></value></param></params></methodCall>")
        r("raw boolean true text", x + b"<methodCall><methodName>supervisor.startProcess</methodName><params><param><value><string>sleeper</string></value></param><param><value><boolean>true</boolean></value></param></params></methodCall>")
        r("raw huge int", x + b"<methodCall><methodName>supervisor.readLog</methodName><params><param><value><int>99999999999999999999</int></value></param><param><value><int>0</int></value></param></params></methodCall>")
        r("raw doctype entity", x + b"<!DOCTYPE m [<!ENTITY e 'sleeper'>]><methodCall><methodName>supervisor.getProcessInfo</methodName><params><param><value><string>&e;</string></value></param></params></methodCall>")
        self.http("GET /RPC2", "GET", "/RPC2")
        self.http("PUT /RPC2", "PUT", "/RPC2", b"x")
        self.http("POST /RPC2/extra", "POST", "/RPC2/extra",
                  x + b"<methodCall><methodName>supervisor.getState</methodName></methodCall>")
        self.http("POST /RPC3", "POST", "/RPC3",
                  x + b"<methodCall><methodName>supervisor.getState</methodName></methodCall>")

    def phase_info(self):
        c = self.c
        for m in ("getAPIVersion", "getVersion", "getSupervisorVersion", "getIdentification", "getState"):
            c(m, f"supervisor.{m}")
            c(f"{m} extra arg", f"supervisor.{m}", "x")
        pid = lambda v: "<daemon pid>" if v == self.proc.pid else f"<other pid {type(v).__name__}>"
        c("getPID", "supervisor.getPID", post=pid)
        c("getPID extra arg", "supervisor.getPID", 1)

        for n in ("sleeper", "cat", "talker", "ansi", "manual", "quick", "doomed", "nofile", "deaf",
                  "stubborn", "x:worker_0", "x:worker_1", "listener", "listener:listener",
                  "sleeper:sleeper"):
            c(f"getProcessInfo {n}", "supervisor.getProcessInfo", n)
        for n in ("x:*", "x:", "x", "worker_0", "worker", "nope", "nope:sleeper", "sleeper:nope",
                  "x:worker_0:extra", ":sleeper", "", " sleeper", "sleeper ", "SLEEPER", "caf\u00e9",
                  "a/b", "..", "x:worker_9", "\u2603" * 300, "sleeper\t"):
            c(f"getProcessInfo bad {n!r}", "supervisor.getProcessInfo", n)
        c("getProcessInfo int", "supervisor.getProcessInfo", 1)
        c("getProcessInfo bool", "supervisor.getProcessInfo", True)
        c("getProcessInfo array", "supervisor.getProcessInfo", ["sleeper"])
        c("getProcessInfo struct", "supervisor.getProcessInfo", {"name": "sleeper"})
        c("getProcessInfo nil", "supervisor.getProcessInfo", None)
        c("getProcessInfo no args", "supervisor.getProcessInfo")
        c("getProcessInfo extra", "supervisor.getProcessInfo", "sleeper", "x")
        c("getAllProcessInfo", "supervisor.getAllProcessInfo")
        c("getAllProcessInfo extra", "supervisor.getAllProcessInfo", "x")
        c("getAllConfigInfo", "supervisor.getAllConfigInfo")
        c("getAllConfigInfo extra", "supervisor.getAllConfigInfo", 1)

    def phase_logs(self):
        c = self.c
        combos = [(0, 0), (0, 5), (5, 5), (15, 10), (19, 1), (20, 0), (20, 5), (100, 5), (100, 0),
                  (-5, 0), (-100, 0), (-5, 3), (0, -1), (-1, -1), (5, -5), (2**31 - 1, 0), (-(2**31), 0)]
        for o, l in combos:
            c(f"readProcessStdoutLog talker {o},{l}", "supervisor.readProcessStdoutLog", "talker", o, l)
        c("readProcessLog alias", "supervisor.readProcessLog", "talker", 0, 0)
        for o, l in [(0, 0), (0, 5), (4, 2), (5, 1), (-1, 0), (-4, 0), (-5, 0), (0, 4), (9, 0), (50, 0)]:
            c(f"readProcessStderrLog talker {o},{l}", "supervisor.readProcessStderrLog", "talker", o, l)
        c("readProcessStdoutLog ansi (ESC in log)", "supervisor.readProcessStdoutLog", "ansi", 0, 0)
        c("readProcessStdoutLog ansi tail 5", "supervisor.readProcessStdoutLog", "ansi", -5, 0)
        c("tailProcessStdoutLog ansi", "supervisor.tailProcessStdoutLog", "ansi", 0, 100)
        # the listener's stdout log holds the protocol traffic, whose length depends on how many
        # events were sent so far: only its shape is compared
        c("readProcessStdoutLog listener (shape)", "supervisor.readProcessStdoutLog", "listener", 0, 0,
          post=lambda v: {"type": type(v).__name__, "starts": v[:6]})
        c("tailProcessStdoutLog listener (shape)", "supervisor.tailProcessStdoutLog", "listener", 0, 100,
          post=lambda v: [type(x).__name__ for x in v])
        for n in ("manual", "nofile", "stubborn", "quick", "doomed", "x:worker_0"):
            c(f"readProcessStdoutLog {n}", "supervisor.readProcessStdoutLog", n, 0, 0)
            c(f"readProcessStderrLog {n}", "supervisor.readProcessStderrLog", n, 0, 0)
            c(f"tailProcessStdoutLog {n}", "supervisor.tailProcessStdoutLog", n, 0, 100)
        for m in ("readProcessStdoutLog", "readProcessStderrLog", "tailProcessStdoutLog", "tailProcessStderrLog"):
            M = f"supervisor.{m}"
            for n in ("nope", "x:*", "x:", "x", "worker_0", ""):
                c(f"{m} bad {n!r}", M, n, 0, 10)
            c(f"{m} int name", M, 1, 0, 10)
            c(f"{m} string offsets", M, "talker", "0", "5")
            c(f"{m} string offset neg", M, "talker", "-5", 0)
            c(f"{m} double offset", M, "talker", 1.5, 2)
            c(f"{m} bool offsets", M, "talker", True, True)
            c(f"{m} missing length", M, "talker", 0)
            c(f"{m} name only", M, "talker")
            c(f"{m} extra", M, "talker", 0, 5, 1)
        for o, l in [(0, 5), (0, 100), (15, 10), (20, 10), (25, 10), (-5, 3), (0, 0), (-1, -1),
                     (5, 0), (19, 0), (19, 1), (10, -5), (-100, 5), (2**31 - 1, 1)]:
            c(f"tailProcessStdoutLog talker {o},{l}", "supervisor.tailProcessStdoutLog", "talker", o, l)
        c("tailProcessLog alias", "supervisor.tailProcessLog", "talker", 0, 100)
        for o, l in [(0, 100), (0, 3), (0, 4), (0, 1), (9, 10), (4, 2)]:
            c(f"tailProcessStderrLog talker {o},{l}", "supervisor.tailProcessStderrLog", "talker", o, l)

    def phase_control(self):
        c, S = self.c, "supervisor."
        # start/stop single
        c("startProcess running", S + "startProcess", "sleeper")
        c("startProcess manual nowait", S + "startProcess", "manual", False)
        c("getProcessInfo manual after nowait start", S + "getProcessInfo", "manual",
          post=lambda v: v["statename"])
        self.wait_states({"manual:manual": "RUNNING"})
        c("stopProcess manual nowait", S + "stopProcess", "manual", False)
        self.wait_states({"manual:manual": "STOPPED"})
        c("startProcess manual wait", S + "startProcess", "manual")
        c("startProcess manual again", S + "startProcess", "manual", True)
        c("getProcessInfo manual running", S + "getProcessInfo", "manual")
        c("stopProcess manual wait", S + "stopProcess", "manual")
        c("stopProcess manual again", S + "stopProcess", "manual")
        c("getProcessInfo manual stopped", S + "getProcessInfo", "manual")
        c("startProcess nofile", S + "startProcess", "nofile")
        c("getProcessInfo nofile after start", S + "getProcessInfo", "nofile")
        c("startProcess doomed", S + "startProcess", "doomed")
        self.wait_states({"doomed:doomed": "FATAL"})
        c("getProcessInfo doomed after start", S + "getProcessInfo", "doomed")
        c("startProcess quick", S + "startProcess", "quick")
        self.wait_states({"quick:quick": "EXITED"})
        c("getProcessInfo quick after start", S + "getProcessInfo", "quick")
        for n in ("nope", "x", "worker_0", "nope:*", "nope:", "", "x:worker_0", "listener",
                  "sleeper:sleeper", "x:nope"):
            c(f"startProcess {n!r}", S + "startProcess", n)
            c(f"stopProcess {n!r} (nowait)", S + "stopProcess", n, False) if n in ("nope", "x", "nope:*", "", "x:nope") else None
        c("startProcess x:* running", S + "startProcess", "x:*")
        c("startProcess x: running", S + "startProcess", "x:")
        c("startProcess int", S + "startProcess", 1)
        c("startProcess no args", S + "startProcess")
        c("startProcess extra", S + "startProcess", "manual", True, 1)
        c("startProcess nil wait", S + "startProcess", "sleeper", None)
        c("startProcess string wait 'no'", S + "startProcess", "manual", "no")
        self.ensure("manual", True, "startProcess string wait 'no'")
        c("stopProcess string wait 'false'", S + "stopProcess", "manual", "false")
        self.ensure("manual", False, "stopProcess string wait 'false'")
        c("startProcess int wait 0", S + "startProcess", "manual", 0)
        self.ensure("manual", True, "startProcess int wait 0")
        c("stopProcess int wait 1", S + "stopProcess", "manual", 1)
        self.ensure("manual", False, "stopProcess int wait 1")
        c("stopProcess int", S + "stopProcess", 5)
        c("stopProcess no args", S + "stopProcess")
        c("stopProcess extra", S + "stopProcess", "manual", True, 1)
        c("stopProcess stopped", S + "stopProcess", "nofile")
        # group forms
        c("stopProcess x:*", S + "stopProcess", "x:*")
        c("stopProcess x:* again", S + "stopProcess", "x:*")
        c("startProcess x:* wait", S + "startProcess", "x:*")
        c("stopProcess x: nowait", S + "stopProcess", "x:", False)
        self.wait_states({"x:worker_0": "STOPPED", "x:worker_1": "STOPPED"})
        c("startProcess x: nowait", S + "startProcess", "x:", False)
        self.wait_states({"x:worker_0": "RUNNING", "x:worker_1": "RUNNING"})
        c("startProcessGroup x running", S + "startProcessGroup", "x")
        c("stopProcessGroup x", S + "stopProcessGroup", "x")
        c("stopProcessGroup x again", S + "stopProcessGroup", "x")
        c("startProcessGroup x", S + "startProcessGroup", "x")
        c("stopProcessGroup x nowait", S + "stopProcessGroup", "x", False)
        self.wait_states({"x:worker_0": "STOPPED", "x:worker_1": "STOPPED"})
        c("startProcessGroup x nowait", S + "startProcessGroup", "x", False)
        self.wait_states({"x:worker_0": "RUNNING", "x:worker_1": "RUNNING"})
        c("startProcessGroup doomed (FATAL)", S + "startProcessGroup", "doomed")
        self.wait_states({"doomed:doomed": "FATAL"})
        for m in ("startProcessGroup", "stopProcessGroup"):
            for n in ("nope", "x:*", "x:", "worker", "x:worker_0", ""):
                c(f"{m} bad {n!r}", S + m, n)
            c(f"{m} int", S + m, 1)
            c(f"{m} no args", S + m)
            c(f"{m} extra", S + m, "x", True, 1)
        c("startProcessGroup string wait", S + "startProcessGroup", "x", "yes")
        # signals
        for sig in ("WINCH", "SIGWINCH", "winch", "28", "0", "CONT", "sigcont"):
            c(f"signalProcess sleeper {sig}", S + "signalProcess", "sleeper", sig)
        for sig in ("NOPE", "", "999", "-1", "SIGKILLX", "KILL ", "1.5"):
            c(f"signalProcess sleeper bad {sig!r}", S + "signalProcess", "sleeper", sig)
        c("signalProcess int signal", S + "signalProcess", "sleeper", 28)
        c("signalProcess int name", S + "signalProcess", 1, "CONT")
        c("signalProcess stopped", S + "signalProcess", "manual", "CONT")
        c("signalProcess stopped bad sig", S + "signalProcess", "manual", "NOPE")
        c("signalProcess nope", S + "signalProcess", "nope", "CONT")
        c("signalProcess nope bad sig", S + "signalProcess", "nope", "NOPE")
        c("signalProcess x:*", S + "signalProcess", "x:*", "CONT")
        c("signalProcess x:", S + "signalProcess", "x:", "CONT")
        c("signalProcess x:* bad sig", S + "signalProcess", "x:*", "NOPE")
        c("signalProcess x", S + "signalProcess", "x", "CONT")
        c("signalProcess missing sig", S + "signalProcess", "sleeper")
        c("signalProcess extra", S + "signalProcess", "sleeper", "CONT", 1)
        c("signalProcessGroup x", S + "signalProcessGroup", "x", "CONT")
        c("signalProcessGroup x bad sig", S + "signalProcessGroup", "x", "NOPE")
        c("signalProcessGroup manual (stopped)", S + "signalProcessGroup", "manual", "CONT")
        c("signalProcessGroup nope", S + "signalProcessGroup", "nope", "CONT")
        c("signalProcessGroup x:*", S + "signalProcessGroup", "x:*", "CONT")
        c("signalProcessGroup int sig", S + "signalProcessGroup", "x", 18)
        c("signalProcessGroup missing", S + "signalProcessGroup", "x")
        c("signalAllProcesses CONT", S + "signalAllProcesses", "CONT")
        c("signalAllProcesses bad", S + "signalAllProcesses", "NOPE")
        c("signalAllProcesses int", S + "signalAllProcesses", 18)
        c("signalAllProcesses none", S + "signalAllProcesses")
        c("signalAllProcesses extra", S + "signalAllProcesses", "CONT", 1)
        # stdin
        c("sendProcessStdin cat", S + "sendProcessStdin", "cat", "hello\n")
        c("sendProcessStdin cat empty", S + "sendProcessStdin", "cat", "")
        c("sendProcessStdin cat utf8", S + "sendProcessStdin", "cat", "caf\u00e9 \u2603\n")
        c("sendProcessStdin cat CR", S + "sendProcessStdin", "cat", "cr\r\n")
        self.soft_poll("cat output", lambda: self.q(S + "readProcessStdoutLog", "cat", 0, 0).endswith("cr\n"), 10)
        c("readProcessStdoutLog cat", S + "readProcessStdoutLog", "cat", 0, 0)
        c("tailProcessStdoutLog cat", S + "tailProcessStdoutLog", "cat", 0, 3)
        c("sendProcessStdin int chars", S + "sendProcessStdin", "cat", 5)
        c("sendProcessStdin int chars bad name", S + "sendProcessStdin", "nope", 5)
        c("sendProcessStdin array chars", S + "sendProcessStdin", "cat", ["a"])
        c("sendProcessStdin int name", S + "sendProcessStdin", 1, "x")
        c("sendProcessStdin stopped", S + "sendProcessStdin", "manual", "x")
        c("sendProcessStdin nope", S + "sendProcessStdin", "nope", "x")
        c("sendProcessStdin x:*", S + "sendProcessStdin", "x:*", "x")
        c("sendProcessStdin x:worker_0", S + "sendProcessStdin", "x:worker_0", "x\n")
        c("sendProcessStdin missing", S + "sendProcessStdin", "cat")
        c("sendProcessStdin extra", S + "sendProcessStdin", "cat", "x", "y")
        c("sendProcessStdin listener", S + "sendProcessStdin", "listener", "")
        first = c("sendProcessStdin deaf first", S + "sendProcessStdin", "deaf", "x\n")

        def deaf():
            try:
                self.q(S + "sendProcessStdin", "deaf", "x\n")
            except xmlrpc.client.Fault as f:
                return f
            return None
        self.soft_poll("deaf stdin fault", deaf, 10)
        c("sendProcessStdin deaf after EPIPE", S + "sendProcessStdin", "deaf", "x\n")
        # remote comm
        c("sendRemoteCommEvent", S + "sendRemoteCommEvent", "mytype", "my data")
        c("sendRemoteCommEvent utf8", S + "sendRemoteCommEvent", "t\u00e9", "d \u00fc\n")
        c("sendRemoteCommEvent empty", S + "sendRemoteCommEvent", "", "")
        c("sendRemoteCommEvent int type", S + "sendRemoteCommEvent", 1, "x")
        c("sendRemoteCommEvent int data", S + "sendRemoteCommEvent", "t", 2)
        c("sendRemoteCommEvent missing", S + "sendRemoteCommEvent", "t")
        c("sendRemoteCommEvent extra", S + "sendRemoteCommEvent", "t", "d", "e")
        # clearing logs
        c("clearProcessLogs talker", S + "clearProcessLogs", "talker")
        c("readProcessStdoutLog talker after clear", S + "readProcessStdoutLog", "talker", 0, 0)
        c("tailProcessStdoutLog talker after clear", S + "tailProcessStdoutLog", "talker", 0, 10)
        c("clearProcessLog alias cat", S + "clearProcessLog", "cat")
        c("clearProcessLogs stopped manual", S + "clearProcessLogs", "manual")
        c("clearProcessLogs quick (exited, has log)", S + "clearProcessLogs", "quick")
        c("readProcessStdoutLog quick after clear", S + "readProcessStdoutLog", "quick", 0, 0)
        for n in ("nope", "x:*", "x:", "x", ""):
            c(f"clearProcessLogs bad {n!r}", S + "clearProcessLogs", n)
        c("clearProcessLogs x:worker_0", S + "clearProcessLogs", "x:worker_0")
        c("clearProcessLogs int", S + "clearProcessLogs", 1)
        c("clearProcessLogs missing", S + "clearProcessLogs")
        c("clearProcessLogs extra", S + "clearProcessLogs", "cat", 1)
        c("clearAllProcessLogs", S + "clearAllProcessLogs")
        c("clearAllProcessLogs extra", S + "clearAllProcessLogs", "x")
        # all
        c("stopAllProcesses", S + "stopAllProcesses")
        c("getAllProcessInfo after stopAll", S + "getAllProcessInfo",
          post=lambda v: {f"{p['group']}:{p['name']}": p["statename"] for p in v})
        c("stopAllProcesses again", S + "stopAllProcesses")
        c("startAllProcesses", S + "startAllProcesses")
        c("getAllProcessInfo after startAll", S + "getAllProcessInfo",
          post=lambda v: {f"{p['group']}:{p['name']}": p["statename"] for p in v})
        self.wait_states({"doomed:doomed": "FATAL", "quick:quick": "EXITED"})
        c("startAllProcesses again", S + "startAllProcesses")
        self.wait_states({"doomed:doomed": "FATAL", "quick:quick": "EXITED"})
        c("stopAllProcesses nowait", S + "stopAllProcesses", False)
        self.wait_states({k: ("STOPPED", "EXITED", "FATAL") for k in self.states()})
        c("startAllProcesses nowait", S + "startAllProcesses", False)
        self.wait_states({"sleeper:sleeper": "RUNNING", "x:worker_0": "RUNNING", "x:worker_1": "RUNNING",
                          "manual:manual": "RUNNING", "doomed:doomed": "FATAL", "quick:quick": "EXITED",
                          "listener:listener": "RUNNING"})
        c("startAllProcesses string wait", S + "startAllProcesses", "no")
        c("startAllProcesses extra", S + "startAllProcesses", True, 1)
        c("stopAllProcesses extra", S + "stopAllProcesses", True, 1)
        c("stopProcess manual for reload", S + "stopProcess", "manual")

    def phase_reload(self):
        c, S = self.c, "supervisor."
        self.wait_states({"quick:quick": "EXITED", "doomed:doomed": "FATAL"})
        c("reloadConfig unchanged", S + "reloadConfig")
        c("reloadConfig extra", S + "reloadConfig", 1)
        self.write_conf(manual_arg="200000", drop=("ansi",),
                        extra="\n[program:newbie]\ncommand=/bin/sleep 100000\nautostart=false\n")
        c("reloadConfig changed", S + "reloadConfig")
        c("reloadConfig changed again", S + "reloadConfig")
        c("getAllConfigInfo after reload", S + "getAllConfigInfo",
          post=lambda v: [(p["name"], p["group"], p["inuse"], self.norm.s(p["command"])) for p in v])
        c("addProcessGroup newbie", S + "addProcessGroup", "newbie")
        c("addProcessGroup newbie again", S + "addProcessGroup", "newbie")
        c("getProcessInfo newbie", S + "getProcessInfo", "newbie")
        c("addProcessGroup nope", S + "addProcessGroup", "nope")
        c("addProcessGroup ansi (removed from config)", S + "addProcessGroup", "ansi")
        c("addProcessGroup x:*", S + "addProcessGroup", "x:*")
        c("addProcessGroup int", S + "addProcessGroup", 1)
        c("addProcessGroup missing", S + "addProcessGroup")
        c("addProcessGroup extra", S + "addProcessGroup", "newbie", 1)
        c("removeProcessGroup ansi running", S + "removeProcessGroup", "ansi")
        c("stopProcessGroup ansi", S + "stopProcessGroup", "ansi")
        c("removeProcessGroup ansi", S + "removeProcessGroup", "ansi")
        c("removeProcessGroup ansi again", S + "removeProcessGroup", "ansi")
        c("getProcessInfo ansi removed", S + "getProcessInfo", "ansi")
        c("removeProcessGroup x running", S + "removeProcessGroup", "x")
        c("removeProcessGroup nope", S + "removeProcessGroup", "nope")
        c("removeProcessGroup x:*", S + "removeProcessGroup", "x:*")
        c("removeProcessGroup int", S + "removeProcessGroup", 1)
        c("removeProcessGroup missing", S + "removeProcessGroup")
        c("removeProcessGroup extra", S + "removeProcessGroup", "manual", 1)
        c("reloadConfig after add/remove", S + "reloadConfig")
        c("removeProcessGroup manual (changed, stopped)", S + "removeProcessGroup", "manual")
        c("addProcessGroup manual", S + "addProcessGroup", "manual")
        c("getProcessInfo manual re-added", S + "getProcessInfo", "manual")
        c("reloadConfig settled", S + "reloadConfig")
        c("getAllProcessInfo after reload", S + "getAllProcessInfo",
          post=lambda v: [f"{p['group']}:{p['name']}={p['statename']}" for p in v])
        with open(self.conf, "a") as f:
            f.write("\n[program:broken]\ncommand=/bin/true\nstartsecs=x\n")
        c("reloadConfig broken", S + "reloadConfig")
        self.write_conf(manual_arg="200000", drop=("ansi",),
                        extra="\n[program:newbie]\ncommand=/bin/sleep 100000\nautostart=false\n"
                              "\n[program:dup]\ncommand=/bin/true\n\n[program:dup]\ncommand=/bin/false\n")
        c("reloadConfig duplicate section", S + "reloadConfig")
        self.write_conf(manual_arg="200000", drop=("ansi",),
                        extra="\n[program:newbie]\ncommand=/bin/sleep 100000\nautostart=false\n"
                              "\n[program:bad:name]\ncommand=/bin/true\n")
        c("reloadConfig bad program name", S + "reloadConfig")
        self.write_conf(manual_arg="200000", drop=("ansi",),
                        extra="\n[program:newbie]\ncommand=/bin/sleep 100000\nautostart=false\n"
                              "\n[program:nocmd]\nautostart=false\n")
        c("reloadConfig missing command", S + "reloadConfig")
        os.rename(self.conf, self.conf + ".gone")
        c("reloadConfig missing file", S + "reloadConfig")
        os.rename(self.conf + ".gone", self.conf)
        c("getAllConfigInfo after failed reloads", S + "getAllConfigInfo",
          post=lambda v: sorted(p["name"] for p in v))
        self.write_conf(manual_arg="200000", drop=("ansi",),
                        extra="\n[program:newbie]\ncommand=/bin/sleep 100000\nautostart=false\n")

    def phase_mainlog(self):
        c, S = self.c, "supervisor."
        shape = lambda v: {"type": type(v).__name__, "bytes": len(v.encode())} if isinstance(v, str) else self.norm(v)
        full = self.q(S + "readLog", 0, 0)
        self.emit("readLog 0,0 shape", "supervisor.readLog(0, 0)",
                  {"result": {"type": type(full).__name__, "nonempty": bool(full)}})
        c("readLog 0,24", S + "readLog", 0, 24)
        c("readLog 0,10 shape", S + "readLog", 0, 10, post=shape)
        c("readLog -30,0 shape", S + "readLog", -30, 0, post=shape)
        c("readLog -1,0", S + "readLog", -1, 0)
        c("readLog 5,0 shape", S + "readLog", 5, 0,
          post=lambda v: {"bytes_vs_full": len(v.encode()) - len(full.encode())})
        c("readLog -10**6,0 whole file", S + "readLog", -10**6, 0,
          post=lambda v: {"bytes_vs_full": len(v.encode()) - len(full.encode())})
        c("readLog past end", S + "readLog", 10**7, 10)
        c("readLog past end len 0", S + "readLog", 10**7, 0)
        c("readMainLog alias", S + "readMainLog", -1, 0)
        for o, l in [(-1, 5), (0, -1), (-5, -5), (5, -1)]:
            c(f"readLog bad {o},{l}", S + "readLog", o, l)
        c("readLog strings", S + "readLog", "0", "10")
        c("readLog double", S + "readLog", 0.5, 10, post=shape)
        c("readLog missing", S + "readLog", 0)
        c("readLog none", S + "readLog")
        c("readLog extra", S + "readLog", 0, 0, 0)
        c("clearLog extra", S + "clearLog", 1)
        c("clearLog", S + "clearLog")
        c("readLog after clear 0,0", S + "readLog", 0, 0)
        c("readLog after clear -100,0", S + "readLog", -100, 0)
        c("readLog after clear 5,10", S + "readLog", 5, 10)
        c("clearLog again", S + "clearLog")
        os.rename(os.path.join(self.d, "supervisord.log"), os.path.join(self.d, "moved.log"))
        c("readLog log file missing", S + "readLog", 0, 0)
        c("clearLog log file missing", S + "clearLog")
        c("readLog after clear of missing file", S + "readLog", 0, 0, post=shape)

    def phase_restart(self):
        c, S = self.c, "supervisor."
        c("startProcess stubborn before restart", S + "startProcess", "stubborn")
        c("restart extra arg", S + "restart", 1)
        c("restart", S + "restart")
        c("getState during restart", S + "getState")
        c("getProcessInfo during restart", S + "getProcessInfo", "sleeper")
        c("system.methodSignature during restart", "system.methodSignature", "supervisor.getState")
        c("sendRemoteCommEvent during restart", S + "sendRemoteCommEvent", "t", "d")
        c("restart during restart", S + "restart")
        self.soft_poll("RUNNING after restart", lambda: self.q(S + "getState")["statename"] == "RUNNING", 30)
        c("getState after restart", S + "getState")
        c("getPID after restart", S + "getPID",
          post=lambda v: "<daemon pid>" if v == self.proc.pid else "<other pid>")
        self.wait_states({"sleeper:sleeper": "RUNNING", "x:worker_0": "RUNNING", "x:worker_1": "RUNNING",
                          "quick:quick": "EXITED", "doomed:doomed": "FATAL", "listener:listener": "RUNNING",
                          "cat:cat": "RUNNING", "talker:talker": "RUNNING", "deaf:deaf": "RUNNING"})
        c("getAllProcessInfo after restart", S + "getAllProcessInfo",
          post=lambda v: [f"{p['group']}:{p['name']}={p['statename']}" for p in v])
        c("reloadConfig after restart", S + "reloadConfig")

    def phase_shutdown(self):
        c, S = self.c, "supervisor."
        c("startProcess stubborn", S + "startProcess", "stubborn")
        c("shutdown extra arg", S + "shutdown", 1)
        c("getState before shutdown", S + "getState")
        c("shutdown", S + "shutdown")
        t_shut = time.monotonic()
        c("getState after shutdown", S + "getState")
        c("getPID after shutdown", S + "getPID")
        c("getAPIVersion after shutdown", S + "getAPIVersion")
        c("getProcessInfo after shutdown", S + "getProcessInfo", "sleeper")
        c("startProcess after shutdown", S + "startProcess", "manual")
        c("readLog after shutdown", S + "readLog", 0, 0)
        c("reloadConfig after shutdown", S + "reloadConfig")
        c("sendRemoteCommEvent after shutdown", S + "sendRemoteCommEvent", "t", "d")
        c("system.listMethods after shutdown", "system.listMethods", post=len)
        c("system.methodHelp after shutdown", "system.methodHelp", "supervisor.getState", post=bool)
        c("multicall after shutdown", "system.multicall",
          [{"methodName": "supervisor.getState"}, {"methodName": "system.methodSignature",
                                                   "params": ["supervisor.getState"]}])
        c("unknown method after shutdown", "supervisor.nope")
        c("bad args after shutdown", S + "getProcessInfo")
        c("shutdown again", S + "shutdown")
        elapsed_calls = time.monotonic() - t_shut
        try:
            code = self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            code = "still running after 20s"
        self.emit("daemon exit", "wait()", {"exit_code": code, "calls_after_shutdown_took_under_10s": elapsed_calls < 10,
                                            "socket_removed": not os.path.exists(self.sock),
                                            "pidfile_removed": not os.path.exists(os.path.join(self.d, "supervisord.pid"))})

    def main(self):
        self.start()
        try:
            self.poll("socket", lambda: self.q("supervisor.getState")["statename"] == "RUNNING")
            self.wait_states({"sleeper:sleeper": "RUNNING", "cat:cat": "RUNNING", "talker:talker": "RUNNING",
                              "ansi:ansi": "RUNNING", "manual:manual": "STOPPED", "quick:quick": "EXITED",
                              "doomed:doomed": "FATAL", "x:worker_0": "RUNNING", "x:worker_1": "RUNNING",
                              "listener:listener": "RUNNING", "deaf:deaf": "RUNNING"})
            self.poll("talker logs", lambda: self.q("supervisor.readProcessStderrLog", "talker", 0, 0)
                      and self.q("supervisor.readProcessStdoutLog", "talker", 0, 0), 10)
            for phase in ("system", "raw", "info", "logs", "control", "reload", "mainlog", "restart", "shutdown"):
                t = time.monotonic()
                if self.proc.poll() is not None:
                    self.emit("daemon died", phase, {"exit_code": self.proc.returncode})
                    return 1
                getattr(self, "phase_" + phase)()
                print(f"phase {phase}: {time.monotonic() - t:.1f}s", file=sys.stderr)
            print(f"total {time.monotonic() - self.t0:.1f}s, {self.seq} records", file=sys.stderr)
            return 0
        finally:
            if self.proc.poll() is None:
                os.killpg(self.proc.pid, signal.SIGTERM)
                try:
                    self.proc.wait(10)
                except subprocess.TimeoutExpired:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                    self.proc.wait()
            self.out.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--tmp", default=None, help="parent directory for the run's temp dir")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir")
    ap.add_argument("--call-timeout", type=float, default=20.0)
    ap.add_argument("cmd", nargs="+")
    a = ap.parse_args()
    sw = Sweep(a.cmd, a.tmp, a.call_timeout)
    rc = 1
    try:
        rc = sw.main()
    except Exception as e:
        print(f"sweep aborted: {e!r}", file=sys.stderr)
        try:
            with open(os.path.join(sw.d, "daemon.out"), "rb") as f:
                sys.stderr.write(f.read()[-3000:].decode("utf-8", "replace"))
        except OSError:
            pass
        raise
    finally:
        if a.keep:
            print(f"kept {sw.d}", file=sys.stderr)
        else:
            shutil.rmtree(sw.d, ignore_errors=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
