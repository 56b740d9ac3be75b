// supctl.tail: a process log from an offset, then (following) what the process writes next.
import { existsSync, statSync } from 'node:fs';
import { type ManagedProcess, readLog } from '@supctl/core';
import { createPushStream, Fault, type LogChunk, type StreamContext, type TailOptions } from '@supctl/rpc';

/**
 * The stream behind `supctl.tail`. Each chunk's offset is where it ends in the log file as it is
 * now: after a rotation or a clear that is a position in the new file, so resuming from it
 * neither skips nor repeats output.
 */
export function tailProcessLog(
  p: ManagedProcess,
  options: TailOptions,
  ctx: StreamContext,
): AsyncIterable<LogChunk> {
  const channel = options.channel === 'stderr' ? 'stderr' : 'stdout';
  const i = p.info();
  const path = channel === 'stdout' ? i.stdoutLogfile : i.stderrLogfile;
  if (path === null || !existsSync(path)) throw new Fault('NO_FILE', path ?? 'None');
  const out = channel === 'stdout' ? p.stdout : (p.stderr ?? p.stdout);
  let stop = () => {};
  const queue = createPushStream<LogChunk>({ signal: ctx.signal, onEnd: () => stop() });
  // Output of this event-loop turn may still wait for its (batched) write, though its listeners
  // have run: write it now, or it would be in neither the first read nor the followed chunks.
  out.flush();
  // Read the file, then listen: both happen in this one synchronous step, so no output can
  // fall between them.
  let offset = statSync(path).size;
  const requested = options.offset ?? -1600;
  const start = requested < 0 ? Math.max(0, offset + requested) : Math.min(requested, offset);
  // Exactly the bytes up to the size seen now; later output arrives through the listener.
  const initial = offset > start ? readLog(path, start, offset - start) : '';
  if (initial) queue.push({ data: initial, offset });
  if (options.follow === false) {
    queue.end();
    return queue;
  }
  stop = out.listen((chunk) => {
    // The channel writes a chunk before it calls listeners, but small ones wait for the end of
    // the turn: write it now (rotating the file if due), so the file's size is where it ends.
    out.flush();
    offset = statSync(path, { throwIfNoEntry: false })?.size ?? offset + chunk.length;
    queue.push({ data: chunk.toString('utf8'), offset });
  });
  return queue;
}
