// The child that floods stdout in the log benches: the same program for supervisord and for us,
// and fast enough not to be the bottleneck (a C loop of write(2); python3 when there is no cc).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const C_SOURCE = `#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>
/* writer <total> <chunk>: total bytes in chunk-byte write(2)s; every chunk ends with '\\n'. */
int main(int argc, char **argv) {
  long long total = argc > 1 ? atoll(argv[1]) : 1000, written = 0;
  long chunk = argc > 2 ? atol(argv[2]) : 100;
  char *buf = malloc(chunk);
  for (long j = 0; j < chunk; j++) buf[j] = 'a' + j % 26;
  buf[chunk - 1] = '\\n';
  while (written < total) {
    long n = total - written < chunk ? (long)(total - written) : chunk, off = 0;
    if (n < chunk) buf[n - 1] = '\\n';
    while (off < n) {
      ssize_t w = write(1, buf + off, n - off);
      if (w >= 0) { off += w; continue; }
      if (errno == EINTR) continue;
      if (errno != EAGAIN) return 1;
      struct pollfd p = { 1, POLLOUT, 0 };
      poll(&p, 1, -1);
    }
    written += n;
  }
  return 0;
}
`;

const PY_SOURCE = `import os, select, sys
total, chunk = int(sys.argv[1]), int(sys.argv[2])
buf = bytes(97 + j % 26 for j in range(chunk - 1)) + b'\\n'
written = 0
while written < total:
    n = min(chunk, total - written)
    b = buf if n == chunk else buf[: n - 1] + b'\\n'
    off = 0
    while off < n:
        try:
            off += os.write(1, b[off:])
        except BlockingIOError:
            select.select([], [1], [])
    written += n
`;

/** A writer command: `command(total, chunk)` is a config `command=` value. */
export interface Writer {
  readonly kind: 'c' | 'python3';
  command(total: number, chunk: number): string;
}

/** Compiles the C writer into `dir` (cc), or falls back to a python3 loop of os.write. */
export function prepareWriter(dir: string): Writer {
  const source = join(dir, 'writer.c');
  const binary = join(dir, 'writer');
  writeFileSync(source, C_SOURCE);
  try {
    execFileSync('cc', ['-O2', '-o', binary, source], { stdio: 'ignore' });
    return { kind: 'c', command: (total, chunk) => `${binary} ${total} ${chunk}` };
  } catch {
    const script = join(dir, 'writer.py');
    writeFileSync(script, PY_SOURCE);
    return { kind: 'python3', command: (total, chunk) => `python3 ${script} ${total} ${chunk}` };
  }
}
