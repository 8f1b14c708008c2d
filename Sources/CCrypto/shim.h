#ifndef CHATFS_CCRYPTO_SHIM_H
#define CHATFS_CCRYPTO_SHIM_H

// OpenSSL's EVP digest API: streaming SHA-256 of downloaded attachments.
#include <openssl/evp.h>

#endif
