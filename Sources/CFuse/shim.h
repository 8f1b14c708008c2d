#ifndef CHATFS_CFUSE_SHIM_H
#define CHATFS_CFUSE_SHIM_H
// FUSE_USE_VERSION must be set before the header; 3.12 is the first API with
// fuse_loop_cfg_* (the worker pool's max_threads as well as max_idle_threads).
#define FUSE_USE_VERSION 312
#include <fuse_lowlevel.h>
// setxattr/getxattr for the command line (Glibc does not export <sys/xattr.h> to Swift).
#include <sys/xattr.h>
#include <errno.h>
#include <stddef.h>

// fuse_session_loop_mt is a macro Swift cannot call. max_idle_threads must not be 0:
// libfuse would then start and stop a thread per request (measured 2x slower).
static inline int cfuse_session_loop_mt(struct fuse_session *se, unsigned int max_threads,
                                        unsigned int max_idle_threads) {
    struct fuse_loop_config *config = fuse_loop_cfg_create();
    if (!config) return -ENOMEM;
    fuse_loop_cfg_set_clone_fd(config, 0);
    fuse_loop_cfg_set_max_threads(config, max_threads);
    fuse_loop_cfg_set_idle_threads(config, max_idle_threads);
    int result = fuse_session_loop_mt(se, config);
    fuse_loop_cfg_destroy(config);
    return result;
}

// Hands the kernel a file's bytes for its page cache (FUSE_NOTIFY_STORE): FUSE_BUFVEC_INIT
// is a macro Swift cannot use.
static inline int cfuse_notify_store(struct fuse_session *se, fuse_ino_t ino, const void *data, size_t size) {
    struct fuse_bufvec bufv = FUSE_BUFVEC_INIT(size);
    bufv.buf[0].mem = (void *)data;
    return fuse_lowlevel_notify_store(se, ino, 0, &bufv, 0);
}
#endif
