#include "net/CurlHandles.h"

#include "net/RelayError.h"

#include <mutex>

namespace cplink::net {

void ensureCurlInitialised() {
    static std::once_flag once;
    static CURLcode result = CURLE_OK;
    std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
    if (result != CURLE_OK)
        failSetup("curl_global_init failed");
}

CurlPtr newCurlHandle() {
    ensureCurlInitialised();
    CurlPtr curl(curl_easy_init());
    if (!curl)
        failSetup("curl_easy_init failed");
    return curl;
}

void appendHeader(CurlSlistPtr& list, const char* line) {
    curl_slist* extended = curl_slist_append(list.get(), line);
    if (extended == nullptr)
        failSetup("curl_slist_append failed");
    (void)list.release(); // now owned by `extended`, which heads the same list
    list.reset(extended);
}

} // namespace cplink::net
