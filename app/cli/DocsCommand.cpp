// flowscope-cli docs: rewrites the generated tables of the documentation (the config keys from
// the schema, the choices from the registries; core/config/ConfigDocs.h), or checks them.

#include <cstdio>

#include "Commands.h"
#include "core/config/ConfigDocs.h"
#include "core/io/AtomicFile.h"
#include "core/util/ArgParser.h"

namespace flowscope::cli {

int runDocs(const std::vector<std::string>& args) {
  ArgParser parser("flowscope-cli docs [--check] FILE.md...",
                   "Regenerates the blocks between '<!-- generated: ID -->' and\n"
                   "'<!-- end generated -->' in each FILE (docs/configuration.md, docs/datasets.md)\n"
                   "from the config schema and the registries. With --check, changes nothing and\n"
                   "exits 1 when a file is out of date.");
  parser.flag("check", "only report files whose generated blocks are out of date").positionals(16);
  const ParsedArgs a = parser.parse(args);
  if (a.has("help")) {
    std::fputs(parser.help().c_str(), stdout);
    return 0;
  }
  if (a.positional().empty()) throw UsageError("expected at least one FILE.md");
  int stale = 0;
  for (const std::string& file : a.positional()) {
    const std::string text = readFileBytes(file);
    const std::string fresh = refreshGeneratedDocs(text, file);
    if (fresh == text) {
      std::printf("%s: up to date (%zu generated blocks)\n", file.c_str(), generatedDocIdsIn(text).size());
      continue;
    }
    ++stale;
    if (a.has("check")) {
      std::printf("%s: out of date (run flowscope-cli docs %s)\n", file.c_str(), file.c_str());
    } else {
      writeFileAtomic(file, fresh);
      std::printf("%s: updated\n", file.c_str());
    }
  }
  return a.has("check") && stale > 0 ? 1 : 0;
}

}  // namespace flowscope::cli
