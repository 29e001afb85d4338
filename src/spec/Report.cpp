#include "Report.h"

namespace cplink::spec {

std::size_t BatchReport::errorCount() const {
    std::size_t n = 0;
    for (const auto& f : files)
        n += f.findings.errorCount();
    return n;
}

std::size_t BatchReport::warningCount() const {
    std::size_t n = 0;
    for (const auto& f : files)
        n += f.findings.warningCount();
    return n;
}

bool BatchReport::hasIoError() const {
    for (const auto& f : files) {
        if (!f.ioError.empty())
            return true;
    }
    return false;
}

} // namespace cplink::spec
