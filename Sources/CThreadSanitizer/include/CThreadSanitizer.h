#ifndef CHATFS_THREAD_SANITIZER_H
#define CHATFS_THREAD_SANITIZER_H

/// Tells ThreadSanitizer of a happens-before edge it cannot see by itself (Locking's
/// `Locked` uses them around Synchronization's Mutex). In a build without TSan they do
/// nothing.

/// Everything this thread did so far happens before whatever follows an acquire of
/// the same address on another thread.
void chatfs_tsan_release(const void *address);

/// Whatever preceded a release of the same address on another thread happens before
/// what this thread does next.
void chatfs_tsan_acquire(const void *address);

#endif
