#include "Cms.h"

#include "Error.h"

#include <climits>

namespace cplink::crypto {

CmsPtr cmsFromDer(std::string_view der) {
    if (der.size() > static_cast<std::size_t>(LONG_MAX))
        return nullptr;
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size())));
    // Trailing bytes after the structure are not ours to ignore: a tampered envelope could hide there.
    if (cms && p != reinterpret_cast<const unsigned char*>(der.data()) + der.size())
        cms.reset();
    if (!cms)
        takeOpenSslErrors();
    return cms;
}

std::string cmsToDer(CMS_ContentInfo* cms) {
    unsigned char* out = nullptr;
    const int length = i2d_CMS_ContentInfo(cms, &out);
    if (length <= 0)
        fail("cannot encode CMS structure");
    OpenSslBytesPtr owned(out);
    return std::string(reinterpret_cast<const char*>(owned.get()), static_cast<std::size_t>(length));
}

} // namespace cplink::crypto
