#pragma once

// Owning handles for libcurl objects, in the style of crypto/Handles.h: released on every path.
#include <curl/curl.h>
#include <memory>

namespace cplink::net {

namespace detail {
struct CurlEasyDeleter {
    void operator()(CURL* curl) const noexcept { curl_easy_cleanup(curl); }
};
struct CurlSlistDeleter {
    void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
} // namespace detail

using CurlPtr = std::unique_ptr<CURL, detail::CurlEasyDeleter>;
using CurlSlistPtr = std::unique_ptr<curl_slist, detail::CurlSlistDeleter>;

// curl_global_init once per process, before the first easy handle (it is not safe to race it with
// other threads' first use); the matching cleanup is left to process exit, as libcurl allows.
void ensureCurlInitialised();

// A new easy handle; throws RelayError(Internal) if libcurl cannot make one.
CurlPtr newCurlHandle();

// Appends a header line; throws RelayError(Internal) when out of memory.
void appendHeader(CurlSlistPtr& list, const char* line);

} // namespace cplink::net
