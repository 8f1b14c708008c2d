#include "CThreadSanitizer.h"

#include <stddef.h>

// Defined by the TSan runtime, which `-sanitize=thread` links whole into the executable.
// Declared weak so that every other build links without them: they are then NULL and the
// calls below do nothing.
extern void __tsan_acquire(void *address) __attribute__((weak));
extern void __tsan_release(void *address) __attribute__((weak));

void chatfs_tsan_release(const void *address) {
    if (__tsan_release != NULL) {
        __tsan_release((void *)address);
    }
}

void chatfs_tsan_acquire(const void *address) {
    if (__tsan_acquire != NULL) {
        __tsan_acquire((void *)address);
    }
}
