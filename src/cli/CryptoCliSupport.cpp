#include "CryptoCliSupport.h"

#include <ostream>

namespace cplink::cli {

int exitStatusFor(const crypto::CryptoError& error) {
    switch (error.code()) {
    case crypto::ErrorCode::Io:
    case crypto::ErrorCode::Usage:
        return 2;
    default:
        return 1;
    }
}

int reportError(const std::string& command, const crypto::CryptoError& error, std::ostream& err) {
    err << "cplink " << command << ": " << error.what() << "\n";
    return exitStatusFor(error);
}

} // namespace cplink::cli
