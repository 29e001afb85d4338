#pragma once

// CMS handles and DER helpers shared by envelopes and receipts.
#include "Handles.h"
#include "Keys.h" // memoryBio, bioContents

#include <openssl/cms.h>
#include <string>
#include <string_view>

namespace cplink::crypto {

using CmsPtr = Handle<CMS_ContentInfo, CMS_ContentInfo_free>;
using CmsReceiptRequestPtr = Handle<CMS_ReceiptRequest, CMS_ReceiptRequest_free>;

// Parses DER; nullptr (and an emptied error queue) when the bytes are not a CMS ContentInfo.
CmsPtr cmsFromDer(std::string_view der);
std::string cmsToDer(CMS_ContentInfo* cms);

} // namespace cplink::crypto
