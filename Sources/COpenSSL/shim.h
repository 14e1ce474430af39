#ifndef FENGHUO_COPENSSL_SHIM_H
#define FENGHUO_COPENSSL_SHIM_H
// The only C surface for OpenSSL: EVP digests and KDFs are all Fenghuo needs.
#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/hmac.h>
#include <openssl/crypto.h>
#endif
