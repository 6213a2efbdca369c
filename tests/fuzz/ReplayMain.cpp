// A main() for the libFuzzer harnesses in builds without libFuzzer (GCC, every ctest run): it
// feeds each file of the given corpus folders (or files) to LLVMFuzzerTestOneInput once, so the
// seeds and every crash reproducer added to tests/fuzz/corpus keep being checked. A harness
// signals a broken contract by aborting or by letting an unexpected exception escape.

#include <csignal>
#include <cstdint>
#include <cstdio>
#include <algorithm>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

char gCurrent[4096] = "";

void onAbort(int) {
  // Name the input that broke the harness (async-signal-safe: write only).
  const char prefix[] = "\nfuzz replay: harness aborted on ";
  (void)!::write(2, prefix, sizeof prefix - 1);
  (void)!::write(2, gCurrent, std::strlen(gCurrent));
  (void)!::write(2, "\n", 1);
  std::signal(SIGABRT, SIG_DFL);
  std::raise(SIGABRT);
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::signal(SIGABRT, onAbort);
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const fs::path p(argv[i]);
    if (fs::is_directory(p)) {
      for (const auto& e : fs::directory_iterator(p))
        if (e.is_regular_file()) inputs.push_back(e.path());
    } else if (fs::is_regular_file(p)) {
      inputs.push_back(p);
    } else {
      std::fprintf(stderr, "fuzz replay: %s is neither a file nor a folder\n", argv[i]);
      return 2;
    }
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "fuzz replay: no inputs (usage: %s CORPUS_DIR_OR_FILE...)\n", argv[0]);
    return 2;
  }
  std::sort(inputs.begin(), inputs.end());
  for (const fs::path& input : inputs) {
    std::snprintf(gCurrent, sizeof gCurrent, "%s", input.c_str());
    std::ifstream in(input, std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    try {
      LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "fuzz replay: %s: unexpected exception: %s\n", gCurrent, e.what());
      return 1;
    }
  }
  std::printf("fuzz replay: %zu inputs passed\n", inputs.size());
  return 0;
}
