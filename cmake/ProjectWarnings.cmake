# One place for the warning set, applied per target so that third-party headers stay out of it.
function(cplink_set_warnings target)
    target_compile_options(${target} PRIVATE
        -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
        -Wold-style-cast -Woverloaded-virtual -Wimplicit-fallthrough)
    # -Wnull-dereference depends on inlining: at -O3 GCC 12 reports paths inside libstdc++ (streambuf) and
    # Asio (scheduler.ipp) that cannot happen. It runs in the unoptimised builds (dev: CI), where it
    # speaks about our code.
    if(NOT CMAKE_BUILD_TYPE MATCHES "Release|RelWithDebInfo")
        target_compile_options(${target} PRIVATE -Wnull-dereference)
    endif()
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
        # GCC 12 reports -Wrestrict falsely for "literal" + std::string at -O2/-O3 (GCC bug 105329).
        target_compile_options(${target} PRIVATE -Wno-restrict)
    endif()
    if(CPLINK_WARNINGS_AS_ERRORS)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()
