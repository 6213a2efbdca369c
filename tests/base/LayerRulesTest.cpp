// The layer rules of docs/architecture.md, checked on the source tree by following #include lines
// through the project's own headers:
//   - nothing in gui/, app/gui or tests/gui reaches a LibTorch header (torch/, ATen/, c10/,
//     caffe2/), directly or through a core header;
//   - gui/ and app/gui include from core/ only the torch-free layers (core/api, config, io, util,
//     registry);
//   - nothing in core/ or app/cli includes a Qt header.
// The build enforces the first rule too (cmake/no-torch); this test names the offending chain.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Include {
  std::string name;
  bool quoted = false;
};

std::vector<Include> includesOf(const fs::path& file) {
  static const std::regex line(R"(^\s*#\s*include\s*([<"])([^>"]+)[>"])");
  std::vector<Include> out;
  std::ifstream in(file);
  std::string text;
  while (std::getline(in, text)) {
    std::smatch m;
    if (std::regex_search(text, m, line)) out.push_back({m[2].str(), m[1].str() == "\""});
  }
  return out;
}

bool isTorchHeader(const std::string& name) {
  static const std::regex torch(R"(^(torch|ATen|c10|caffe2)/)");
  return std::regex_search(name, torch);
}

bool isQtHeader(const std::string& name) {
  static const std::regex qt(R"(^(Qt[A-Za-z]*/|Q[A-Z][A-Za-z]*$|qt[a-z]*\.h$))");
  return std::regex_search(name, qt);
}

bool isSource(const fs::path& p) {
  const auto ext = p.extension().string();
  return ext == ".h" || ext == ".hpp" || ext == ".cpp" || ext == ".cc";
}

/// Follows project includes from `root`; remembers, per file, the chain to a LibTorch header.
class IncludeGraph {
 public:
  explicit IncludeGraph(fs::path root) : root_(std::move(root)) {}

  /// "a.h -> b.h -> <torch/torch.h>" when `file` reaches LibTorch, else nullopt.
  std::optional<std::string> torchChain(const fs::path& file) {
    const std::string key = fs::weakly_canonical(file).string();
    if (auto it = memo_.find(key); it != memo_.end()) return it->second;
    if (!visiting_.insert(key).second) return std::nullopt;  // include cycle
    std::optional<std::string> chain;
    for (const Include& inc : includesOf(file)) {
      if (isTorchHeader(inc.name)) {
        chain = "<" + inc.name + ">";
        break;
      }
      if (auto header = resolve(file, inc)) {
        if (auto via = torchChain(*header)) {
          chain = inc.name + " -> " + *via;
          break;
        }
      }
    }
    visiting_.erase(key);
    memo_[key] = chain;
    return chain;
  }

 private:
  std::optional<fs::path> resolve(const fs::path& from, const Include& inc) const {
    if (inc.quoted && fs::exists(from.parent_path() / inc.name)) return from.parent_path() / inc.name;
    if (fs::exists(root_ / inc.name)) return root_ / inc.name;
    return std::nullopt;
  }

  fs::path root_;
  std::map<std::string, std::optional<std::string>> memo_;
  std::set<std::string> visiting_;
};

std::vector<fs::path> sourcesUnder(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && isSource(e.path())) out.push_back(e.path());
  return out;
}

/// Every violation of the three rules under `root`, one line each.
std::vector<std::string> layerViolations(const fs::path& root) {
  std::vector<std::string> found;
  IncludeGraph graph(root);
  static const std::vector<std::string> allowedCore{"core/api/", "core/config/", "core/io/",
                                                    "core/util/", "core/registry/"};
  for (const char* dir : {"gui", "app/gui", "tests/gui"}) {
    for (const fs::path& file : sourcesUnder(root / dir)) {
      const std::string rel = fs::relative(file, root).string();
      if (auto chain = graph.torchChain(file)) found.push_back(rel + " reaches LibTorch: " + *chain);
      if (std::string(dir) == "tests/gui") continue;
      for (const Include& inc : includesOf(file)) {
        if (inc.name.rfind("core/", 0) != 0) continue;
        bool allowed = false;
        for (const auto& prefix : allowedCore) allowed = allowed || inc.name.rfind(prefix, 0) == 0;
        if (!allowed) found.push_back(rel + " includes engine header " + inc.name + " (use core/api)");
      }
    }
  }
  for (const char* dir : {"core", "app/cli"})
    for (const fs::path& file : sourcesUnder(root / dir))
      for (const Include& inc : includesOf(file))
        if (isQtHeader(inc.name))
          found.push_back(fs::relative(file, root).string() + " includes Qt header <" + inc.name + ">");
  return found;
}

std::string joined(const std::vector<std::string>& lines) {
  std::ostringstream os;
  for (const auto& l : lines) os << "  " << l << "\n";
  return os.str();
}

class LayerRulesScratch : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("flowscope-LayerRules-" + std::to_string(::getpid()));
    fs::remove_all(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  void write(const std::string& rel, const std::string& text) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel) << text;
  }
  fs::path root_;
};

}  // namespace

TEST(LayerRules, TheSourceTreeKeepsTheLayers) {
  const std::vector<std::string> found = layerViolations(FLOWSCOPE_SOURCE_DIR);
  EXPECT_TRUE(found.empty()) << "layer rules broken (docs/architecture.md):\n" << joined(found);
}

TEST(LayerRules, TheCheckSeesTheSourceTree) {
  // Guards against a vacuous pass: the scan must find the GUI and follow its core includes.
  EXPECT_GT(sourcesUnder(fs::path(FLOWSCOPE_SOURCE_DIR) / "gui").size(), 20u);
  IncludeGraph graph(FLOWSCOPE_SOURCE_DIR);
  const auto chain = graph.torchChain(fs::path(FLOWSCOPE_SOURCE_DIR) / "core/train/Trainer.cpp");
  ASSERT_TRUE(chain.has_value());
}

TEST_F(LayerRulesScratch, FindsATorchIncludeReachedThroughACoreHeader) {
  write("core/util/Tensor.h", "#pragma once\n#include <ATen/ATen.h>\n");
  write("core/api/Handle.h", "#pragma once\n#include \"core/util/Tensor.h\"\n");
  write("gui/views/View.cpp", "#include <QWidget>\n#include \"core/api/Handle.h\"\n");
  write("gui/views/Clean.cpp", "#include <QWidget>\n#include \"core/api/Other.h\"\n");
  write("core/api/Other.h", "#pragma once\n#include <vector>\n");
  const auto found = layerViolations(root_);
  ASSERT_EQ(found.size(), 1u) << joined(found);
  EXPECT_EQ(found[0], "gui/views/View.cpp reaches LibTorch: core/api/Handle.h -> core/util/Tensor.h -> <ATen/ATen.h>");
}

TEST_F(LayerRulesScratch, FindsQtInCoreAndEngineHeadersInTheGui) {
  write("core/paths/Path.h", "#pragma once\n#include <QString>\n#include <QtCore/QObject>\n#include <vector>\n");
  write("gui/app/Form.cpp", "#include \"core/paths/Path.h\"\n#include \"core/config/ExperimentConfig.h\"\n");
  const auto found = layerViolations(root_);
  ASSERT_EQ(found.size(), 3u) << joined(found);
  EXPECT_EQ(found[0], "gui/app/Form.cpp includes engine header core/paths/Path.h (use core/api)");
  EXPECT_EQ(found[1], "core/paths/Path.h includes Qt header <QString>");
  EXPECT_EQ(found[2], "core/paths/Path.h includes Qt header <QtCore/QObject>");
}

TEST_F(LayerRulesScratch, IncludeCyclesTerminate) {
  write("core/api/A.h", "#include \"core/api/B.h\"\n");
  write("core/api/B.h", "#include \"core/api/A.h\"\n");
  write("gui/X.cpp", "#include \"core/api/A.h\"\n");
  EXPECT_TRUE(layerViolations(root_).empty());
}
