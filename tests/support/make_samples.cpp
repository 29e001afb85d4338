// Writes the sample month (tests/support/SampleMonth.cpp) as MS932 files into a folder.
// Used to produce resources/samples:  build/tests/support/make_samples resources/samples
#include "SampleData.h"

#include <fstream>
#include <iostream>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: make_samples DIR\n";
        return 2;
    }
    for (const auto& file : cplink::testdata::sampleMonth()) {
        std::ofstream out(std::string(argv[1]) + "/" + file.name, std::ios::binary);
        out << file.bytes;
        if (!out) {
            std::cerr << "cannot write " << file.name << "\n";
            return 1;
        }
    }
    return 0;
}
