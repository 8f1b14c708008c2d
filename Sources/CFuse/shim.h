#ifndef CHATFS_CFUSE_SHIM_H
#define CHATFS_CFUSE_SHIM_H
// FUSE_USE_VERSION must be set before the header; 35 is what libfuse 3.14's own
// examples use and gives the fuse_loop_config {clone_fd, max_idle_threads} layout.
#define FUSE_USE_VERSION 35
#include <fuse_lowlevel.h>
// setxattr/getxattr for the command line (Glibc does not export <sys/xattr.h> to Swift).
#include <sys/xattr.h>

// fuse_session_loop_mt is a macro Swift cannot call. max_idle_threads must not be 0:
// libfuse would then start and stop a thread per request (measured 2x slower).
static inline int cfuse_session_loop_mt(struct fuse_session *se, unsigned int max_idle_threads) {
    struct fuse_loop_config config = { .clone_fd = 0, .max_idle_threads = max_idle_threads };
    return fuse_session_loop_mt(se, &config);
}
#endif
