// @supctl/core's optional spawn helper for Linux: a child per call of spawn(), started the way
// posix_spawn starts one (clone with CLONE_VM, so the cost does not grow with the daemon's
// memory as fork's does, and without waiting for the exec), with real pipes for stdin/stdout/stderr (libuv gives
// children socketpairs, which cost a writer several times more per small write), in its own
// process group, with umask, supplementary groups, gid, uid and directory applied in the child.
// Exits are reaped by one thread that waits on a pidfd per child and hands (pid, code, signal,
// core dumped) to JavaScript through a thread-safe function. Nothing here allocates, locks or
// calls libc in the child: it only makes raw system calls and then execs or exits. (The build
// links with -z now, so not even a lazy PLT binding can run in the child.)
//
// JavaScript side: src/native-spawn.ts. Built by scripts/build-native.mjs; when it is absent
// or cannot load, @supctl/core spawns with node:child_process instead.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <node_api.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <linux/futex.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE (1U << 1)
#endif

#define CHILD_STACK_SIZE (32 * 1024)
#define MAX_GROUPS 1024

// ---------------------------------------------------------------------------------------------
// The child. It shares our memory (CLONE_VM) and runs while we go on, so it must not touch
// anything another thread may use: no libc (whose wrappers write the shared thread's errno and
// may lock), only raw system calls on its own stack and on its own spawn record, which the
// reaper frees once the child has exec'd or died (its status pipe closes).

#if defined(__x86_64__)
static inline long raw_syscall(long n, long a, long b, long c, long d) {
  register long r10 __asm__("r10") = d;
  long ret;
  __asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
  return ret;
}
#elif defined(__aarch64__)
static inline long raw_syscall(long n, long a, long b, long c, long d) {
  register long x8 __asm__("x8") = n;
  register long x0 __asm__("x0") = a;
  register long x1 __asm__("x1") = b;
  register long x2 __asm__("x2") = c;
  register long x3 __asm__("x3") = d;
  __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
  return x0;
}
#else
#error "the spawn helper knows the system call convention of x86_64 and aarch64 only"
#endif

// errno names as supervisord prints them (Python's errno.errorcode), for the child's last words.
struct name {
  const char *text;
  long length;
};
#define NAME(e) [e] = {#e, sizeof #e - 1}
static const struct name ERRNO_NAMES[] = {
    NAME(EPERM),   NAME(ENOENT),  NAME(ESRCH),  NAME(EINTR),  NAME(EIO),     NAME(ENXIO),
    NAME(E2BIG),   NAME(ENOEXEC), NAME(EBADF),  NAME(EAGAIN), NAME(ENOMEM),  NAME(EACCES),
    NAME(EFAULT),  NAME(EBUSY),   NAME(ENOTDIR), NAME(EISDIR), NAME(EINVAL), NAME(ENFILE),
    NAME(EMFILE),  NAME(ETXTBSY), NAME(ELOOP),  NAME(ENAMETOOLONG), NAME(ELIBBAD),
};
static const struct name UNKNOWN_ERRNO = {"EUNKNOWN", 8};

struct spawn_record {
  char *file;
  char **argv;
  char **envp;
  char *cwd;
  char *argv0;  // for the failure message
  long argv0_length;
  long cwd_length;
  int changes_credentials;  // uid or gid set: the kernel marks our shared mm non-dumpable
  int umask;    // -1: keep
  int nofile;   // the child's soft RLIMIT_NOFILE, only ever lowered; -1: keep
  int uid;      // -1: keep
  int gid;      // -1: keep
  int ngroups;  // -1: keep
  gid_t groups[MAX_GROUPS];
  int fds[3];      // the child's ends (in reserved slots), dup'ed onto 0, 1, 2
  int status_fd;   // the write end of the status pipe (close-on-exec): a reserved slot, then 3
  int low_end;     // the reserved slots are all below this
  int *released;   // set (and futex-woken) once the child has its own descriptor table
  char stack[CHILD_STACK_SIZE] __attribute__((aligned(16)));
};

// Lengths are known beforehand: a strlen loop here could be compiled into a call to libc.
static void child_say(const char *text, long length) { raw_syscall(SYS_write, 2, (long)text, length, 0); }
#define CHILD_SAY(literal) child_say(literal, sizeof literal - 1)

// Writes supervisord's words for a failed step to stderr (the process log) and exits 127.
static void child_fail(struct spawn_record *r, const struct name *what, const char *subject, long subject_length,
                       long error) {
  long e = -error;
  const struct name *name = &UNKNOWN_ERRNO;
  if (e > 0 && e < (long)(sizeof ERRNO_NAMES / sizeof ERRNO_NAMES[0]) && ERRNO_NAMES[e].text != NULL) {
    name = &ERRNO_NAMES[e];
  }
  CHILD_SAY("supervisor: couldn't ");
  child_say(what->text, what->length);
  child_say(subject, subject_length);
  CHILD_SAY(": ");
  child_say(name->text, name->length);
  CHILD_SAY("\nsupervisor: child process was not spawned\n");
  int code = (int)e;
  raw_syscall(SYS_write, r->status_fd, (long)&code, sizeof code, 0);
  for (;;) raw_syscall(SYS_exit, 127, 0, 0, 0);
}

#define STEP(text) (&(const struct name){text, sizeof text - 1})
#define FAIL(r, step, rc) child_fail(r, STEP(step), "", 0, rc)

struct kernel_sigaction {
  unsigned long handler;
  unsigned long flags;
  unsigned long restorer;
  unsigned long mask;
};

static int child_main(void *arg) {
  struct spawn_record *r = arg;
  struct kernel_sigaction dfl = {0, 0, 0, 0};
  for (long sig = 1; sig <= 64; sig++) {
    if (sig != SIGKILL && sig != SIGSTOP) raw_syscall(SYS_rt_sigaction, sig, (long)&dfl, 0, sizeof dfl.mask);
  }
  unsigned long none = 0;
  raw_syscall(SYS_rt_sigprocmask, SIG_SETMASK, (long)&none, 0, sizeof none);
  // We share the daemon's descriptor table (CLONE_FILES): take our own, holding only the low
  // descriptors, among them the reserved slots with our pipes. Copying the daemon's thousands
  // of descriptors (pipes of every other child) and closing them at exec is what makes a
  // spawn cost more the more children there are. Kernels before 5.9: copy them all.
  long rc = raw_syscall(SYS_close_range, r->low_end, ~0U, CLOSE_RANGE_UNSHARE, 0);
  if (rc < 0) rc = raw_syscall(SYS_unshare, CLONE_FILES, 0, 0, 0);
  __atomic_store_n(r->released, 1, __ATOMIC_RELEASE);
  raw_syscall(SYS_futex, (long)r->released, FUTEX_WAKE, 1, 0);
  if (rc < 0) {
    for (;;) raw_syscall(SYS_exit, 127, 0, 0, 0);  // still sharing: touch nothing
  }
  for (int target = 0; target < 3; target++) {
    if ((rc = raw_syscall(SYS_dup3, r->fds[target], target, 0, 0)) < 0) FAIL(r, "dup", rc);
  }
  if (r->status_fd != 3) {
    if ((rc = raw_syscall(SYS_dup3, r->status_fd, 3, O_CLOEXEC, 0)) < 0) FAIL(r, "dup", rc);
    r->status_fd = 3;
  }
  // Like supervisord, which closes every descriptor above 2 in the child (the status pipe closes
  // at exec).
  raw_syscall(SYS_close_range, 4, ~0U, 0, 0);
  if ((rc = raw_syscall(SYS_setpgid, 0, 0, 0, 0)) < 0) FAIL(r, "setpgid", rc);
  if (r->umask >= 0) raw_syscall(SYS_umask, r->umask, 0, 0, 0);
  if (r->nofile >= 0) {
    struct {
      uint64_t cur, max;
    } limit;
    if (raw_syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, (long)&limit) == 0 && (uint64_t)r->nofile < limit.cur) {
      limit.cur = (uint64_t)r->nofile;
      raw_syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, (long)&limit, 0);
    }
  }
  if (r->ngroups >= 0 && (rc = raw_syscall(SYS_setgroups, r->ngroups, (long)r->groups, 0, 0)) < 0) {
    FAIL(r, "setgroups", rc);
  }
  if (r->gid >= 0 && (rc = raw_syscall(SYS_setgid, r->gid, 0, 0, 0)) < 0) FAIL(r, "setgid", rc);
  if (r->uid >= 0 && (rc = raw_syscall(SYS_setuid, r->uid, 0, 0, 0)) < 0) FAIL(r, "setuid", rc);
  if (r->cwd != NULL && (rc = raw_syscall(SYS_chdir, (long)r->cwd, 0, 0, 0)) < 0) {
    child_fail(r, STEP("chdir to "), r->cwd, r->cwd_length, rc);
  }
  rc = raw_syscall(SYS_execve, (long)r->file, (long)r->argv, (long)r->envp, 0);
  child_fail(r, STEP("exec "), r->argv0, r->argv0_length, rc);
  return 127;
}

// ---------------------------------------------------------------------------------------------
// The reaper: one thread and one epoll set, holding a pidfd per live child (readable when it
// exits) and the read end of each new child's status pipe (at EOF the child has exec'd or died,
// and its spawn record, stack included, can be freed).

struct watch {
  int fd;
  int pid;                        // 0 for a status pipe
  uint32_t id;                    // the spawn's id (pids can be reused)
  struct spawn_record *record;    // NULL for a pidfd
};

struct exit_message {
  uint32_t id;
  int code;    // -1 when killed by a signal
  int signal;  // 0 when it exited
  int core;
};

static int epoll_fd = -1;
// Sets of four low descriptors lent to new children for their pipes (see child_main), and
// /dev/null to park them on in between. A set stays lent until its child has its own table
// (microseconds); with several sets, a spawn never waits for the one before.
#define SLOT_SETS 16
static int reserved[SLOT_SETS][4];
static int devnull = -1;
static int low_end = 0;
static int slots_busy[SLOT_SETS];
static int slots_released[SLOT_SETS];
static int slots_pid[SLOT_SETS];
static int next_set = 0;
static napi_threadsafe_function on_exit_tsfn = NULL;
static int live_children = 0;  // touched on the main thread only
static uint32_t last_spawn_id = 0;  // main thread only

// A child that changes uid or gid shares our mm until it execs, and the kernel marks that mm
// non-dumpable when its credentials change: put supd's own flag back once no such child is
// left before its exec.
static pthread_mutex_t dumpable_lock = PTHREAD_MUTEX_INITIALIZER;
static int credential_children = 0;
static int dumpable_before = 1;

static void credentials_child_started(void) {
  pthread_mutex_lock(&dumpable_lock);
  if (credential_children++ == 0) dumpable_before = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
  pthread_mutex_unlock(&dumpable_lock);
}

static void credentials_child_done(void) {
  pthread_mutex_lock(&dumpable_lock);
  if (--credential_children == 0 && dumpable_before >= 0) prctl(PR_SET_DUMPABLE, dumpable_before, 0, 0, 0);
  pthread_mutex_unlock(&dumpable_lock);
}

static void free_record(struct spawn_record *r) {
  free(r->file);
  free(r->cwd);
  free(r->argv0);
  if (r->argv != NULL) {
    for (char **s = r->argv; *s != NULL; s++) free(*s);
    free(r->argv);
  }
  if (r->envp != NULL) {
    for (char **s = r->envp; *s != NULL; s++) free(*s);
    free(r->envp);
  }
  free(r);
}

// Leaves the epoll set explicitly: a child that has not exec'd yet holds copies of our
// descriptors, and epoll forgets a descriptor only when its last copy closes.
static void unwatch(struct watch *w) {
  epoll_ctl(epoll_fd, EPOLL_CTL_DEL, w->fd, NULL);
  close(w->fd);
  free(w);
}

static void reap(struct watch *w) {
  struct exit_message *m = malloc(sizeof *m);
  if (m == NULL) abort();
  m->id = w->id;
  m->code = -1;
  m->signal = 0;
  m->core = 0;
  siginfo_t info;
  memset(&info, 0, sizeof info);
  int rc;
  do rc = waitid((idtype_t)P_PIDFD, (id_t)w->fd, &info, WEXITED);
  while (rc == -1 && errno == EINTR);
  if (rc == 0) {
    if (info.si_code == CLD_EXITED) {
      m->code = info.si_status;
    } else {
      m->signal = info.si_status;
      m->core = info.si_code == CLD_DUMPED;
    }
  } else {
    // Kernels before 5.4 have pidfd_open but not P_PIDFD: wait by pid.
    int status = 0;
    do rc = waitpid(w->pid, &status, 0);
    while (rc == -1 && errno == EINTR);
    if (rc == w->pid && WIFEXITED(status)) {
      m->code = WEXITSTATUS(status);
    } else if (rc == w->pid && WIFSIGNALED(status)) {
      m->signal = WTERMSIG(status);
      m->core = WCOREDUMP(status) ? 1 : 0;
    }
  }
  unwatch(w);
  napi_call_threadsafe_function(on_exit_tsfn, m, napi_tsfn_blocking);
}

static void *reaper_main(void *unused) {
  (void)unused;
  struct epoll_event events[64];
  for (;;) {
    int n = epoll_wait(epoll_fd, events, 64, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      return NULL;
    }
    for (int i = 0; i < n; i++) {
      struct watch *w = events[i].data.ptr;
      if (w->record == NULL) {
        reap(w);
        continue;
      }
      char buffer[64];
      ssize_t got;
      do got = read(w->fd, buffer, sizeof buffer);
      while (got > 0 || (got < 0 && errno == EINTR));
      if (got == 0 || errno != EAGAIN) {  // EOF: exec'd or dead, off our memory for good
        if (w->record->changes_credentials) credentials_child_done();
        free_record(w->record);
        unwatch(w);
      }
    }
  }
}

static int watch_fd(int fd, int pid, uint32_t id, struct spawn_record *record) {
  struct watch *w = malloc(sizeof *w);
  if (w == NULL) {
    errno = ENOMEM;
    return -1;
  }
  w->fd = fd;
  w->pid = pid;
  w->id = id;
  w->record = record;
  struct epoll_event event = {.events = EPOLLIN, .data.ptr = w};
  if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event) == -1) {
    int e = errno;
    free(w);
    errno = e;
    return -1;
  }
  return 0;
}

static void call_on_exit(napi_env env, napi_value callback, void *context, void *data) {
  (void)context;
  struct exit_message *m = data;
  if (env != NULL) {
    if (--live_children == 0) napi_unref_threadsafe_function(env, on_exit_tsfn);
    napi_value undefined, argv[4];
    napi_get_undefined(env, &undefined);
    napi_create_uint32(env, m->id, &argv[0]);
    if (m->signal == 0) napi_create_int32(env, m->code, &argv[1]);
    else napi_get_null(env, &argv[1]);
    napi_create_int32(env, m->signal, &argv[2]);
    napi_get_boolean(env, m->core != 0, &argv[3]);
    if (napi_call_function(env, undefined, callback, 4, argv, NULL) == napi_pending_exception) {
      // An exit listener threw: make it an uncaught exception, as it would be with child_process.
      napi_value error;
      napi_get_and_clear_last_exception(env, &error);
      free(m);
      napi_fatal_exception(env, error);
      return;
    }
  }
  free(m);
}

// ---------------------------------------------------------------------------------------------
// Output. The children's stdout and stderr pipes are read here, on Node's event loop, with one
// libuv poll handle each, into the one buffer JavaScript gave init(), and handed to
// onOutput(fd, bytes), which answers whether to go on reading (false: until resumeOutput(fd)).
// onOutput(fd, 0) says the pipe is done (EOF or an error) and its descriptor closed. The calls
// run in the async context current when init() was called (supd calls it at start). No
// JavaScript object per pipe: a net.Socket per pipe cost some 3.8 KB of RSS per child at rest
// and 7 KB while starting.
//
// Node exports libuv, but Node-API ships no header for it: the few functions used are declared
// here, and the handle is opaque (uv_handle_size bytes, our fd in its data pointer). libuv keeps
// these stable within its major version 1; init() checks that handle type 8 is "poll".

typedef struct uv_poll_s uv_poll_t;
typedef struct uv_handle_s uv_handle_t;
typedef void (*uv_poll_cb)(uv_poll_t *handle, int status, int events);
typedef void (*uv_close_cb)(uv_handle_t *handle);
extern struct uv_loop_s *uv_default_loop(void);
extern size_t uv_handle_size(int type);
extern const char *uv_handle_type_name(int type);
extern int uv_poll_init(struct uv_loop_s *loop, uv_poll_t *handle, int fd);
extern int uv_poll_start(uv_poll_t *handle, int events, uv_poll_cb cb);
extern int uv_poll_stop(uv_poll_t *handle);
extern void uv_close(uv_handle_t *handle, uv_close_cb close_cb);
extern void *uv_handle_get_data(const uv_handle_t *handle);
extern void uv_handle_set_data(uv_handle_t *handle, void *data);
#define UV_POLL_TYPE 8
#define UV_READABLE_EVENT 1
// Up to this many full buffers are read per wake-up before others get their turn.
#define READS_PER_WAKE 4

static napi_env output_env;
static napi_ref on_output_ref;
static napi_ref output_buffer_ref;
static napi_ref output_resource_ref;
static napi_async_context output_context;
static struct uv_loop_s *output_loop;
static char *output_buffer;
static size_t output_buffer_size;
static size_t poll_size;
static uv_poll_t **polls;  // by descriptor; main thread only
static int polls_length;

static void free_poll(uv_handle_t *handle) { free(handle); }

// Stops reading `fd` for good and closes it.
static void close_output(int fd) {
  uv_poll_t *poll = polls[fd];
  polls[fd] = NULL;
  uv_close((uv_handle_t *)poll, free_poll);  // out of the loop's epoll now; freed next turn
  close(fd);
}

// Calls onOutput(fd, bytes) as Node calls a socket's reader (callback scope: promises and
// nextTicks run after it); returns what it answered. A throw becomes an uncaught exception.
static bool deliver(int fd, ssize_t bytes) {
  napi_env env = output_env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  napi_value callback, resource, argv[2], result;
  bool keep = true;
  napi_get_reference_value(env, on_output_ref, &callback);
  napi_get_reference_value(env, output_resource_ref, &resource);
  napi_create_int32(env, fd, &argv[0]);
  napi_create_int32(env, (int32_t)bytes, &argv[1]);
  napi_status status = napi_make_callback(env, output_context, resource, callback, 2, argv, &result);
  if (status == napi_pending_exception) {
    napi_value error;
    napi_get_and_clear_last_exception(env, &error);
    napi_fatal_exception(env, error);
  } else if (status == napi_ok) {
    napi_get_value_bool(env, result, &keep);  // anything but false goes on
  }
  napi_close_handle_scope(env, scope);
  return keep;
}

static void on_readable(uv_poll_t *poll, int status, int events) {
  (void)events;
  int fd = (int)(intptr_t)uv_handle_get_data((uv_handle_t *)poll);
  if (status < 0) {  // libuv has stopped the handle: the pipe is done
    close_output(fd);
    deliver(fd, 0);
    return;
  }
  for (int round = 0; round < READS_PER_WAKE; round++) {
    ssize_t got;
    do got = read(fd, output_buffer, output_buffer_size);
    while (got < 0 && errno == EINTR);
    if (got < 0 && errno == EAGAIN) return;
    if (got <= 0) {  // EOF, or an error that ends the pipe
      close_output(fd);
      deliver(fd, 0);
      return;
    }
    bool keep = deliver(fd, got);
    if (polls[fd] != poll) return;  // JavaScript closed it meanwhile
    if (!keep) {
      uv_poll_stop(poll);
      return;
    }
    if ((size_t)got < output_buffer_size) return;  // taken all there was
  }
}

// Sets up reading of our end of a child's output pipe (non-blocking).
static int watch_output(int fd) {
  if (fd >= polls_length) {
    int length = polls_length == 0 ? 256 : polls_length;
    while (length <= fd) length *= 2;
    uv_poll_t **grown = realloc(polls, length * sizeof *polls);
    if (grown == NULL) return -ENOMEM;
    memset(grown + polls_length, 0, (length - polls_length) * sizeof *polls);
    polls = grown;
    polls_length = length;
  }
  uv_poll_t *poll = malloc(poll_size);
  if (poll == NULL) return -ENOMEM;
  int rc = uv_poll_init(output_loop, poll, fd);
  if (rc == 0) {
    uv_handle_set_data((uv_handle_t *)poll, (void *)(intptr_t)fd);
    rc = uv_poll_start(poll, UV_READABLE_EVENT, on_readable);
    if (rc != 0) {
      uv_close((uv_handle_t *)poll, free_poll);
      return rc;
    }
  } else {
    free(poll);
    return rc;
  }
  polls[fd] = poll;
  return 0;
}

static int output_fd_arg(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t fd = -1;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0 || fd >= polls_length || polls[fd] == NULL) {
    return -1;
  }
  return fd;
}

// resumeOutput(fd): reads again after onOutput answered false. A closed fd is ignored.
static napi_value resume_output(napi_env env, napi_callback_info info) {
  int fd = output_fd_arg(env, info);
  if (fd >= 0) uv_poll_start(polls[fd], UV_READABLE_EVENT, on_readable);
  return NULL;
}

// closeOutput(fd): stops reading and closes the descriptor. A closed fd is ignored.
static napi_value close_output_js(napi_env env, napi_callback_info info) {
  int fd = output_fd_arg(env, info);
  if (fd >= 0) close_output(fd);
  return NULL;
}

// Sets up the output side at init (onOutput, the read buffer); returns NULL or what failed.
static const char *init_output(napi_env env, napi_value on_output, napi_value buffer) {
  const char *poll_name = uv_handle_type_name(UV_POLL_TYPE);
  if (poll_name == NULL || strcmp(poll_name, "poll") != 0) return "libuv's poll handle";
  poll_size = uv_handle_size(UV_POLL_TYPE);
  void *data = NULL;
  napi_value resource, name;
  if (napi_get_uv_event_loop(env, &output_loop) != napi_ok) return "napi_get_uv_event_loop";
  // The main thread only: a worker's loop closes with the worker, and these handles (and the
  // reaper) are the process's. A worker spawns with node:child_process.
  if (output_loop != uv_default_loop()) return "the main thread's event loop";
  if (napi_get_buffer_info(env, buffer, &data, &output_buffer_size) != napi_ok || output_buffer_size == 0) {
    return "the read buffer";
  }
  output_buffer = data;
  napi_create_object(env, &resource);
  napi_create_string_utf8(env, "supctl-output", NAPI_AUTO_LENGTH, &name);
  if (napi_async_init(env, resource, name, &output_context) != napi_ok) return "napi_async_init";
  napi_create_reference(env, on_output, 1, &on_output_ref);
  napi_create_reference(env, buffer, 1, &output_buffer_ref);
  napi_create_reference(env, resource, 1, &output_resource_ref);
  output_env = env;
  return NULL;
}

// ---------------------------------------------------------------------------------------------
// JavaScript bindings.

#define CHECK(call)                                                      \
  do {                                                                   \
    if ((call) != napi_ok) {                                             \
      napi_throw_error(env, "ENATIVE", "spawn helper: " #call " failed"); \
      goto out;                                                          \
    }                                                                    \
  } while (0)

static napi_value throw_errno(napi_env env, int error, const char *syscall_name) {
  napi_value message, err, value;
  char text[256];
  snprintf(text, sizeof text, "%s: %s", syscall_name, strerror(error));
  napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &message);
  napi_create_error(env, NULL, message, &err);
  napi_create_int32(env, error, &value);
  napi_set_named_property(env, err, "errno", value);
  napi_create_string_utf8(env, syscall_name, NAPI_AUTO_LENGTH, &value);
  napi_set_named_property(env, err, "syscall", value);
  napi_throw(env, err);
  return NULL;
}

// A child like the real ones, that only takes its own descriptor table the way they do. Where a
// seccomp filter refuses both close_range(CLOSE_RANGE_UNSHARE) and unshare(CLONE_FILES), every
// child would die before exec: better not to load then, and use node:child_process.
static volatile int probe_result;

static int probe_main(void *unused) {
  (void)unused;
  long rc = raw_syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_UNSHARE, 0);
  if (rc < 0) rc = raw_syscall(SYS_unshare, CLONE_FILES, 0, 0, 0);
  probe_result = (int)rc;
  for (;;) raw_syscall(SYS_exit, 0, 0, 0, 0);
  return 0;
}

static int probe_own_table(void) {
  char *stack = malloc(16 * 1024);
  if (stack == NULL) return -ENOMEM;
  probe_result = 1;
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  int pid = clone(probe_main, stack + 16 * 1024, CLONE_VM | CLONE_FILES | SIGCHLD, NULL);
  int clone_errno = errno;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (pid == -1) {
    free(stack);
    return -clone_errno;
  }
  while (waitpid(pid, NULL, 0) == -1 && errno == EINTR) {
  }
  free(stack);
  return probe_result;
}

static void close_init_fds(void) {
  for (int set = 0; set < SLOT_SETS; set++) {
    for (int i = 0; i < 4; i++) {
      if (reserved[set][i] >= 0) close(reserved[set][i]);
      reserved[set][i] = -1;
    }
  }
  if (devnull >= 0) close(devnull);
  if (epoll_fd >= 0) close(epoll_fd);
  devnull = epoll_fd = -1;
  low_end = 0;
}

// init(onExit, onOutput, readBuffer): starts the reaper and sets up reading (see Output).
// onExit(id, code | null, signal, coreDumped).
static napi_value init(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3], name;
  if (on_exit_tsfn != NULL) {
    napi_throw_error(env, "EALREADY", "spawn helper: init() was already called in this process");
    return NULL;
  }
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3) {
    napi_throw_type_error(env, NULL, "init(onExit, onOutput, readBuffer) needs two functions and a Buffer");
    return NULL;
  }
  const char *output_failed = init_output(env, argv[1], argv[2]);
  if (output_failed != NULL) {
    napi_throw_error(env, "ENATIVE", output_failed);  // load the fallback instead
    return NULL;
  }
  // pidfd_open (Linux 5.3) is what the reaper needs: refuse to start without it.
  int probe = (int)syscall(SYS_pidfd_open, getpid(), 0);
  if (probe < 0) return throw_errno(env, errno, "pidfd_open");
  close(probe);
  int own_table = probe_own_table();
  if (own_table < 0) return throw_errno(env, -own_table, "close_range");
  for (int set = 0; set < SLOT_SETS; set++) {
    for (int i = 0; i < 4; i++) reserved[set][i] = -1;
  }
  const char *failed = NULL;
  int error = 0;
  if ((epoll_fd = epoll_create1(EPOLL_CLOEXEC)) < 0) {
    failed = "epoll_create1";
  } else if ((devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0) {
    failed = "open /dev/null";
  }
  for (int set = 0; failed == NULL && set < SLOT_SETS; set++) {
    for (int i = 0; failed == NULL && i < 4; i++) {
      reserved[set][i] = fcntl(devnull, F_DUPFD_CLOEXEC, 3);
      if (reserved[set][i] < 0) failed = "fcntl";
      else if (reserved[set][i] >= low_end) low_end = reserved[set][i] + 1;
    }
  }
  if (failed != NULL) {
    error = errno;
    close_init_fds();
    return throw_errno(env, error, failed);
  }
  napi_create_string_utf8(env, "supctl-reaper", NAPI_AUTO_LENGTH, &name);
  if (napi_create_threadsafe_function(env, argv[0], NULL, name, 0, 1, NULL, NULL, NULL, call_on_exit,
                                      &on_exit_tsfn) != napi_ok) {
    close_init_fds();
    napi_throw_error(env, NULL, "spawn helper: cannot create the exit callback");
    return NULL;
  }
  napi_unref_threadsafe_function(env, on_exit_tsfn);
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);  // the reaper takes no signals
  pthread_t thread;
  int rc = pthread_create(&thread, NULL, reaper_main, NULL);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (rc != 0) {
    napi_release_threadsafe_function(on_exit_tsfn, napi_tsfn_abort);
    on_exit_tsfn = NULL;
    close_init_fds();
    return throw_errno(env, rc, "pthread_create");
  }
  pthread_detach(thread);
  return NULL;
}

static char *get_string(napi_env env, napi_value value) {
  size_t length = 0;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &length) != napi_ok) return NULL;
  char *s = malloc(length + 1);
  if (s != NULL) napi_get_value_string_utf8(env, value, s, length + 1, &length);
  return s;
}

static char **get_string_array(napi_env env, napi_value array) {
  uint32_t length = 0;
  if (napi_get_array_length(env, array, &length) != napi_ok) return NULL;
  char **strings = calloc(length + 1, sizeof(char *));
  if (strings == NULL) return NULL;
  for (uint32_t i = 0; i < length; i++) {
    napi_value item;
    napi_get_element(env, array, i, &item);
    strings[i] = get_string(env, item);
    if (strings[i] == NULL) {
      for (uint32_t j = 0; j < i; j++) free(strings[j]);
      free(strings);
      return NULL;
    }
  }
  return strings;
}

static int get_int(napi_env env, napi_value value, int fallback) {
  napi_valuetype type;
  int32_t result = fallback;
  if (napi_typeof(env, value, &type) == napi_ok && type == napi_number) napi_get_value_int32(env, value, &result);
  return result;
}

static void close_pair(int pair[2]) {
  if (pair[0] >= 0) close(pair[0]);
  if (pair[1] >= 0) close(pair[1]);
  pair[0] = pair[1] = -1;
}

// Points a set of slots at /dev/null again, dropping our extra references to the pipes of the
// child it was lent to (else its stdout would not reach EOF when it exits).
static void park_set(int set) {
  for (int i = 0; i < 4; i++) dup3(devnull, reserved[set][i], O_CLOEXEC);
}

// Takes a set back once its child has its own descriptor table: at once, nearly always; a
// child killed before that by someone else's SIGKILL does not keep us waiting.
static void reclaim_set(int set) {
  if (!slots_busy[set]) return;
  // A child stopped (SIGSTOP) before it took its own table would hold us forever: after 100 ms,
  // park the slots anyway (such a child, once continued, runs with /dev/null for stdio).
  for (int waited = 0; waited < 100 && !__atomic_load_n(&slots_released[set], __ATOMIC_ACQUIRE); waited++) {
    struct timespec tick = {0, 1000000};
    syscall(SYS_futex, &slots_released[set], FUTEX_WAIT, 0, &tick);
    siginfo_t info;
    info.si_pid = 0;
    if (__atomic_load_n(&slots_released[set], __ATOMIC_ACQUIRE)) break;
    int rc = waitid(P_PID, (id_t)slots_pid[set], &info, WEXITED | WNOHANG | WNOWAIT);
    if (rc == -1 || info.si_pid == slots_pid[set]) break;  // gone (or already reaped)
  }
  park_set(set);
  slots_busy[set] = 0;
}

// release(): takes back every lent set (JavaScript calls it at the end of a turn of spawns).
static napi_value release(napi_env env, napi_callback_info info) {
  (void)env;
  (void)info;
  for (int set = 0; set < SLOT_SETS; set++) reclaim_set(set);
  return NULL;
}

// spawn(file, argv, envp, cwd | null, umask, uid, gid, groups | null, redirectStderr, pipeSize,
//       openFiles)
//   → [pid, stdinWriteFd, stdoutReadFd, stderrReadFd | -1, spawnId, stdoutPipeBytes]
// Returns once the child exists, before it has exec'd: like supervisord's fork, a failure in the
// child (chdir, setuid, exec) shows as supervisord's words on its stderr and exit status 127.
// Throws an Error with errno and syscall when a pipe, the clone or its pidfd cannot be had.
static napi_value spawn(napi_env env, napi_callback_info info) {
  size_t argc = 12;
  napi_value argv[12], result = NULL;
  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1}, status[2] = {-1, -1};
  int reading_out = 0, reading_err = 0;
  struct spawn_record *r = NULL;
  if (on_exit_tsfn == NULL) {
    napi_throw_error(env, NULL, "spawn helper: init() first");
    return NULL;
  }
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 12) {
    napi_throw_type_error(env, NULL, "spawn() takes 12 arguments");
    return NULL;
  }
  r = calloc(1, sizeof *r);
  if (r == NULL) {
    throw_errno(env, ENOMEM, "malloc");
    goto out;
  }
  r->file = get_string(env, argv[0]);
  r->argv = get_string_array(env, argv[1]);
  r->envp = get_string_array(env, argv[2]);
  if (r->file == NULL || r->argv == NULL || r->envp == NULL || r->argv[0] == NULL) {
    napi_throw_type_error(env, NULL, "spawn(): file, argv and envp must be strings, argv not empty");
    goto out;
  }
  r->argv0 = strdup(r->argv[0]);
  r->argv0_length = r->argv0 == NULL ? 0 : (long)strlen(r->argv0);
  napi_valuetype type;
  CHECK(napi_typeof(env, argv[3], &type));
  r->cwd = type == napi_string ? get_string(env, argv[3]) : NULL;
  r->cwd_length = r->cwd == NULL ? 0 : (long)strlen(r->cwd);
  r->umask = get_int(env, argv[4], -1);
  r->uid = get_int(env, argv[5], -1);
  r->gid = get_int(env, argv[6], -1);
  r->changes_credentials = r->uid >= 0 || r->gid >= 0;
  r->ngroups = -1;
  bool is_array = false;
  napi_is_array(env, argv[7], &is_array);
  if (is_array) {
    uint32_t n = 0;
    napi_get_array_length(env, argv[7], &n);
    if (n > MAX_GROUPS) n = MAX_GROUPS;
    for (uint32_t i = 0; i < n; i++) {
      napi_value item;
      napi_get_element(env, argv[7], i, &item);
      int gid = get_int(env, item, -1);
      if (gid < 0) {
        napi_throw_type_error(env, NULL, "spawn(): groups must be gids");
        goto out;
      }
      r->groups[i] = (gid_t)gid;
    }
    r->ngroups = (int)n;
  }
  bool redirect = false;
  napi_get_value_bool(env, argv[8], &redirect);
  int pipe_size = get_int(env, argv[9], 0);
  r->nofile = get_int(env, argv[10], -1);
  // A descriptor of ours to be the child's stdin instead of a pipe (a FastCGI listening socket).
  int stdin_fd = get_int(env, argv[11], -1);
  if (r->argv0 == NULL) {
    throw_errno(env, ENOMEM, "malloc");
    goto out;
  }

  if ((stdin_fd < 0 && pipe2(in, O_CLOEXEC) == -1) || pipe2(out, O_CLOEXEC) == -1 ||
      (!redirect && pipe2(err, O_CLOEXEC) == -1) || pipe2(status, O_CLOEXEC | O_NONBLOCK) == -1) {
    throw_errno(env, errno, "pipe2");
    goto out;
  }
  // The child's end of the status pipe must block; only ours is non-blocking.
  fcntl(status[1], F_SETFL, 0);
  if (pipe_size > 0) {
    fcntl(out[0], F_SETPIPE_SZ, pipe_size);  // best effort: the default still works
    if (!redirect) fcntl(err[0], F_SETPIPE_SZ, pipe_size);
  }
  // Our ends of the output pipes do not block, and are read from now on (see Output); nor does
  // our end of stdin, which JavaScript writes to at once (writeStdin).
  if (in[1] >= 0) fcntl(in[1], F_SETFL, O_NONBLOCK);
  fcntl(out[0], F_SETFL, O_NONBLOCK);
  if (!redirect) fcntl(err[0], F_SETFL, O_NONBLOCK);
  int rc = watch_output(out[0]);
  if (rc == 0) {
    reading_out = 1;
    if (!redirect && (rc = watch_output(err[0])) == 0) reading_err = 1;
  }
  if (rc != 0) {
    throw_errno(env, -rc, "uv_poll_init");  // libuv's errors are negated errnos (ENOSPC, …)
    goto out;
  }
  int set = next_set;
  next_set = (next_set + 1) % SLOT_SETS;
  reclaim_set(set);
  int child_ends[4] = {stdin_fd >= 0 ? stdin_fd : in[0], out[1], redirect ? out[1] : err[1], status[1]};
  for (int i = 0; i < 4; i++) {
    if (dup3(child_ends[i], reserved[set][i], O_CLOEXEC) == -1) {
      throw_errno(env, errno, "dup3");
      park_set(set);
      goto out;
    }
  }
  r->fds[0] = reserved[set][0];
  r->fds[1] = reserved[set][1];
  r->fds[2] = reserved[set][2];
  r->status_fd = reserved[set][3];
  r->low_end = low_end;
  r->released = &slots_released[set];
  slots_released[set] = 0;

  // No signal handler may run in the child while it shares our memory.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  if (r->changes_credentials) credentials_child_started();
  int pid = clone(child_main, r->stack + CHILD_STACK_SIZE, CLONE_VM | CLONE_FILES | SIGCHLD, r);
  int clone_errno = errno;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (pid == -1) {
    if (r->changes_credentials) credentials_child_done();
    park_set(set);
    throw_errno(env, clone_errno, "clone");
    goto out;
  }
  slots_busy[set] = 1;
  slots_pid[set] = pid;
  close(status[1]);
  status[1] = -1;
  // From here the record belongs to the reaper, which frees it when the status pipe closes.
  if (watch_fd(status[0], 0, 0, r) == -1) {
    // Cannot know when the child is off our memory: it must not go on.
    int e = errno;
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) == -1 && errno == EINTR) {
    }
    if (r->changes_credentials) credentials_child_done();
    throw_errno(env, e, "epoll_ctl");
    goto out;
  }
  status[0] = -1;
  r = NULL;
  int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
  uint32_t id = ++last_spawn_id;
  if (pidfd < 0 || watch_fd(pidfd, pid, id, NULL) == -1) {
    int e = errno;
    if (pidfd >= 0) close(pidfd);
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) == -1 && errno == EINTR) {
    }
    throw_errno(env, e, pidfd < 0 ? "pidfd_open" : "epoll_ctl");
    goto out;
  }
  if (live_children++ == 0) napi_ref_threadsafe_function(env, on_exit_tsfn);

  napi_value values[6];
  int stdout_pipe_size = fcntl(out[0], F_GETPIPE_SZ);
  int fds[6] = {pid, in[1], out[0], redirect ? -1 : err[0], (int)id, stdout_pipe_size < 0 ? 0 : stdout_pipe_size};
  if (in[0] >= 0) close(in[0]);
  close(out[1]);
  if (!redirect) close(err[1]);
  in[0] = in[1] = out[0] = out[1] = err[0] = err[1] = -1;  // now the caller's
  napi_create_array_with_length(env, 6, &result);
  for (uint32_t i = 0; i < 6; i++) {
    napi_create_int32(env, fds[i], &values[i]);
    napi_set_element(env, result, i, values[i]);
  }

out:
  // A failed spawn: stop reading the pipes it made (which closes our ends).
  if (reading_out && out[0] >= 0) {
    close_output(out[0]);
    out[0] = -1;
  }
  if (reading_err && err[0] >= 0) {
    close_output(err[0]);
    err[0] = -1;
  }
  close_pair(in);
  close_pair(out);
  close_pair(err);
  close_pair(status);
  if (r != NULL) free_record(r);
  return result;
}

// trim() → whether any memory went back: first V8's own memory-reducing collection, the
// memory-pressure notification an embedder sends (v8::Isolate::MemoryPressureNotification, a
// public V8 API that node exports; looked up by its C++ name, called with the isolate as its
// first argument as the C++ ABI does, and skipped where it is not found), which collects,
// compacts and releases V8's emptied pages; then glibc's malloc_trim, which hands the C heap's
// free pages to the kernel. What start-up allocated and freed (V8's parser and compiler zones,
// the objects of a thousand spawns) stays in the daemon's RSS otherwise: V8 keeps emptied pages
// until its heap next grows, and free() returns only the top of the C heap.
typedef void *(*isolate_get_current_fn)(void);
typedef void (*memory_pressure_fn)(void *isolate, int level);
#define V8_MEMORY_PRESSURE_CRITICAL 2  // v8::MemoryPressureLevel::kCritical

static napi_value trim(napi_env env, napi_callback_info info) {
  (void)info;
  bool released = false;
  isolate_get_current_fn get_current = (isolate_get_current_fn)dlsym(RTLD_DEFAULT, "_ZN2v87Isolate10GetCurrentEv");
  memory_pressure_fn pressure = (memory_pressure_fn)dlsym(
      RTLD_DEFAULT, "_ZN2v87Isolate26MemoryPressureNotificationENS_19MemoryPressureLevelE");
  void *isolate = get_current != NULL ? get_current() : NULL;
  if (isolate != NULL && pressure != NULL) {
    pressure(isolate, V8_MEMORY_PRESSURE_CRITICAL);  // on the isolate's thread: collects now
    released = true;
  }
#ifdef __GLIBC__
  if (malloc_trim(0) != 0) released = true;
#endif
  napi_value result;
  napi_get_boolean(env, released, &result);
  return result;
}

// listenSocket(path, -1, backlog, mode, uid, gid) or listenSocket(host, port, backlog) → the
// descriptor of a listening stream socket, close-on-exec, for a FastCGI group: what supervisord
// makes and hands its processes as their stdin. Node cannot hold a listening socket without
// accepting on it, so it is made here. A unix socket's path is unlinked first (a stale socket
// from a previous run), then the socket is bound, chowned (uid or gid >= 0), chmodded (mode >= 0)
// and listened on; a TCP socket gets SO_REUSEADDR, as supervisord's. backlog < 0: SOMAXCONN.
// Throws the errno with the failing call's name in `syscall`; a host that does not resolve
// throws getaddrinfo's (negative) code and text, as Python's socket.gaierror has them.
static napi_value listen_socket(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 3) {
    napi_throw_type_error(env, NULL, "listenSocket(address, port, backlog[, mode, uid, gid])");
    return NULL;
  }
  char *address = get_string(env, argv[0]);
  if (address == NULL) {
    napi_throw_type_error(env, NULL, "listenSocket(): address must be a string");
    return NULL;
  }
  int port = get_int(env, argv[1], -1);
  int backlog = get_int(env, argv[2], -1);
  int mode = argc > 3 ? get_int(env, argv[3], -1) : -1;
  int uid = argc > 4 ? get_int(env, argv[4], -1) : -1;
  int gid = argc > 5 ? get_int(env, argv[5], -1) : -1;
  if (backlog < 0) backlog = SOMAXCONN;
  napi_value result = NULL;
  int fd = -1;
  const char *failed = NULL;
  if (port < 0) {
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(address) >= sizeof addr.sun_path) {
      errno = ENAMETOOLONG;
      failed = "bind";
    } else if (unlink(address) == -1 && errno != ENOENT) {
      failed = "unlink";
    } else if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
      failed = "socket";
    } else {
      strcpy(addr.sun_path, address);
      if (bind(fd, (struct sockaddr *)&addr, sizeof addr) == -1) {
        failed = "bind";
      } else if ((uid >= 0 || gid >= 0) && chown(address, (uid_t)uid, (gid_t)gid) == -1) {
        failed = "chown";
      } else if (mode >= 0 && chmod(address, (mode_t)mode) == -1) {
        failed = "chmod";
      } else if (listen(fd, backlog) == -1) {
        failed = "listen";
      }
      if (failed != NULL && strcmp(failed, "bind") != 0) {
        int e = errno;
        unlink(address);
        errno = e;
      }
    }
  } else {
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, address, &addr.sin_addr) != 1) {
      struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *found = NULL;
      int rc = getaddrinfo(address, NULL, &hints, &found);
      if (rc != 0) {
        napi_value message, err, value;
        napi_create_string_utf8(env, gai_strerror(rc), NAPI_AUTO_LENGTH, &message);
        napi_create_error(env, NULL, message, &err);
        napi_create_int32(env, rc, &value);
        napi_set_named_property(env, err, "errno", value);
        napi_create_string_utf8(env, "getaddrinfo", NAPI_AUTO_LENGTH, &value);
        napi_set_named_property(env, err, "syscall", value);
        napi_throw(env, err);
        free(address);
        return NULL;
      }
      addr.sin_addr = ((struct sockaddr_in *)found->ai_addr)->sin_addr;
      freeaddrinfo(found);
    }
    int on = 1;
    if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
      failed = "socket";
    } else if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == -1) {
      failed = "setsockopt";
    } else if (bind(fd, (struct sockaddr *)&addr, sizeof addr) == -1) {
      failed = "bind";
    } else if (listen(fd, backlog) == -1) {
      failed = "listen";
    }
  }
  if (failed != NULL) {
    int e = errno;
    if (fd >= 0) close(fd);
    throw_errno(env, e, failed);
  } else {
    napi_create_int32(env, fd, &result);
  }
  free(address);
  return result;
}

// syslogLine(bytes) sends one message to the system log as supervisord does through Python's
// syslog module, that is through libc's syslog(): ident "supervisord", facility user, level info
// whatever the message (supervisord sends its main log's lines and its children's output alike as
// user.info), no pid. libc formats it (`<14>Nov 25 01:08:23 supervisord: …`), writes it to
// /dev/log, and connects again on a later call when that was missing. As supervisord's, a send
// waits while the syslog daemon's queue is full.
static napi_value syslog_line(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  void *data = NULL;
  size_t length = 0;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 1 || napi_get_buffer_info(env, argv[0], &data, &length) != napi_ok) {
    napi_throw_type_error(env, NULL, "syslogLine(message): message must be a Buffer");
    return NULL;
  }
  static bool opened = false;
  if (!opened) {
    openlog("supervisord", 0, LOG_USER);
    opened = true;
  }
  syslog(LOG_INFO, "%.*s", length > INT_MAX ? INT_MAX : (int)length, (const char *)data);
  return NULL;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor properties[] = {
      {"init", NULL, init, NULL, NULL, NULL, napi_default, NULL},
      {"spawn", NULL, spawn, NULL, NULL, NULL, napi_default, NULL},
      {"release", NULL, release, NULL, NULL, NULL, napi_default, NULL},
      {"trim", NULL, trim, NULL, NULL, NULL, napi_default, NULL},
      {"syslogLine", NULL, syslog_line, NULL, NULL, NULL, napi_default, NULL},
      {"listenSocket", NULL, listen_socket, NULL, NULL, NULL, napi_default, NULL},
      {"resumeOutput", NULL, resume_output, NULL, NULL, NULL, napi_default, NULL},
      {"closeOutput", NULL, close_output_js, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties);
  return exports;
}
