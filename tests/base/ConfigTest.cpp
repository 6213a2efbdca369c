// Experiment YAML: presets load, round trips are exact, and every malformed input gets an error
// that names the source, the key, the bad value and what was expected.

#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>

#include "core/config/ConfigSchema.h"
#include "core/config/ConfigYaml.h"
#include "core/util/Error.h"

using namespace flowscope;
namespace fs = std::filesystem;

namespace {

std::string errorOf(const std::string& yaml, const std::vector<std::string>& overrides = {}) {
  try {
    parseExperiment(yaml, "exp.yaml", overrides);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST(Config, EveryPresetLoadsAndValidates) {
  const fs::path dir = fs::path(FLOWSCOPE_SOURCE_DIR) / "resources" / "presets";
  int count = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    SCOPED_TRACE(entry.path().string());
    const ExperimentConfig c = loadExperiment(entry.path().string());
    EXPECT_TRUE(validate(c).empty());
    EXPECT_EQ(c.name, entry.path().stem().string());
    ++count;
  }
  EXPECT_GE(count, 6);
}

TEST(Config, PresetsDifferOnlyWhereTheyShould) {
  const fs::path dir = fs::path(FLOWSCOPE_SOURCE_DIR) / "resources" / "presets";
  const auto ot = loadExperiment((dir / "checkerboard-fm-ot.yaml").string());
  const auto vp = loadExperiment((dir / "checkerboard-fm-vp.yaml").string());
  const auto ddpm = loadExperiment((dir / "checkerboard-ddpm.yaml").string());
  EXPECT_EQ(ot.path.name, "cond_ot");
  EXPECT_EQ(vp.path.name, "vp");
  EXPECT_EQ(ddpm.objective.name, "ddpm");
  EXPECT_EQ(vp.path.beta_min, 0.1);
  EXPECT_EQ(vp.path.beta_max, 20.0);
  EXPECT_EQ(vp.path.eps, 1e-5);
  // Same model, optimizer and budget for a fair comparison.
  EXPECT_EQ(ot.model.width, ddpm.model.width);
  EXPECT_EQ(ot.training.steps, ddpm.training.steps);
  EXPECT_EQ(ot.optimizer.lr, ddpm.optimizer.lr);
}

TEST(Config, YamlRoundTripIsExact) {
  ExperimentConfig c;
  c.name = "round trip: special \"chars\"";
  c.data.name = "gaussian";
  c.data.mean = {0.1, -2.5e-7};
  c.data.covariance = {2.0, 0.3, 0.3, 1.0 / 3.0};
  c.data.noise = 0.05;
  c.optimizer.lr = 3e-4;
  c.training.seed = 18446744073709551615ull;
  c.evaluation.likelihood = true;
  const ExperimentConfig back = parseExperiment(toYaml(c), "roundtrip");
  EXPECT_TRUE(diffExperiments(c, back).empty()) << toYaml(c);
  EXPECT_EQ(back.data.covariance[3], 1.0 / 3.0);
  EXPECT_EQ(back.training.seed, c.training.seed);
  ExperimentConfig unset = c;
  unset.data.noise.reset();
  EXPECT_FALSE(parseExperiment(toYaml(unset), "x").data.noise.has_value());
}

TEST(Config, DefaultsFromEmptyDocument) {
  const ExperimentConfig c = parseExperiment("", "empty.yaml");
  EXPECT_TRUE(diffExperiments(ExperimentConfig{}, c).empty());
}

TEST(Config, UnknownKeyNamesKeyLineAndAlternatives) {
  const std::string e = errorOf("model:\n  width: 64\n  widht: 3\n");
  EXPECT_TRUE(contains(e, "exp.yaml:3:")) << e;
  EXPECT_TRUE(contains(e, "model.widht")) << e;
  EXPECT_TRUE(contains(e, "width, depth")) << e;
  EXPECT_TRUE(contains(errorOf("modle:\n  width: 3\n"), "unknown key 'modle'"));
}

TEST(Config, WrongTypesNameTheExpectation) {
  std::string e = errorOf("model:\n  width: wide\n");
  EXPECT_TRUE(contains(e, "exp.yaml:2:10")) << e;
  EXPECT_TRUE(contains(e, "'model.width'")) << e;
  EXPECT_TRUE(contains(e, "'wide'")) << e;
  EXPECT_TRUE(contains(e, "an integer")) << e;
  EXPECT_TRUE(contains(errorOf("model:\n  width: 2.5\n"), "an integer"));
  EXPECT_TRUE(contains(errorOf("optimizer:\n  lr: [1]\n"), "a number"));
  EXPECT_TRUE(contains(errorOf("optimizer:\n  lr: .nan\n"), "finite"));
  EXPECT_TRUE(contains(errorOf("training:\n  seed: -1\n"), "[0, 18446744073709551615]"));
  EXPECT_TRUE(contains(errorOf("evaluation:\n  likelihood: maybe\n"), "true or false"));
  EXPECT_TRUE(contains(errorOf("data:\n  mean: [1, 2, 3]\n"), "two numbers"));
  EXPECT_TRUE(contains(errorOf("data:\n  covariance: [[1, 0], [0]]\n"), "2x2"));
  EXPECT_TRUE(contains(errorOf("model: 3\n"), "must be a mapping"));
  EXPECT_TRUE(contains(errorOf("- a\n- b\n"), "top level"));
}

TEST(Config, NonScalarKeysAreErrorsNotCrashes) {
  // YAML allows `? [a, b]` and `{x: 1}: 2` as keys; the schema only has names.
  std::string e = errorOf("? [model, x]\n: 3\n");
  EXPECT_TRUE(contains(e, "exp.yaml:1:")) << e;
  EXPECT_TRUE(contains(e, "top-level key is a sequence")) << e;
  e = errorOf("model:\n  {a: 1}: 3\n");
  EXPECT_TRUE(contains(e, "a key in 'model' is a mapping")) << e;
}

TEST(Config, RangeErrorsNameKeyValueAndRange) {
  std::string e = errorOf("model:\n  width: 0\n");
  EXPECT_TRUE(contains(e, "model.width")) << e;
  EXPECT_TRUE(contains(e, "[1, 65536]")) << e;
  e = errorOf("path:\n  name: optimal\n");
  EXPECT_TRUE(contains(e, "cond_ot, vp, ve")) << e;
  e = errorOf("objective:\n  name: scoreflow\n");  // default path is cond_ot
  EXPECT_TRUE(contains(e, "needs path.name vp")) << e;
  e = errorOf("data:\n  name: gaussian\n  covariance: [[1, 2], [2, 1]]\n");
  EXPECT_TRUE(contains(e, "positive definite")) << e;
  e = errorOf("data:\n  name: points\n");
  EXPECT_TRUE(contains(e, "data.file")) << e;
}

TEST(Config, SyntaxErrorReportsLine) {
  const std::string e = errorOf("model:\n  width: [1, 2\n");
  EXPECT_TRUE(contains(e, "YAML syntax error")) << e;
  EXPECT_TRUE(contains(e, "exp.yaml:")) << e;
}

TEST(Config, OverridesApplyAndNameTheArgument) {
  const ExperimentConfig c = parseExperiment(
      "model:\n  width: 64\n", "exp.yaml",
      {"model.width=512", "path.name=vp", "data.mean=[1, 2]", "name=custom", "objective.name=ddpm"});
  EXPECT_EQ(c.model.width, 512);
  EXPECT_EQ(c.path.name, "vp");
  EXPECT_EQ(c.data.mean[1], 2.0);
  EXPECT_EQ(c.name, "custom");
  std::string e = errorOf("", {"model.width=abc"});
  EXPECT_TRUE(contains(e, "--set model.width=abc")) << e;
  e = errorOf("", {"model.widht=3"});
  EXPECT_TRUE(contains(e, "unknown key 'model.widht'")) << e;
  EXPECT_TRUE(contains(errorOf("", {"model.width"}), "expected key=value"));
  e = errorOf("", {"model.width=0"});
  EXPECT_TRUE(contains(e, "--set model.width=0")) << e;
}

TEST(Config, MissingFileIsAFileError) {
  EXPECT_THROW(loadExperiment("/nonexistent/dir/exp.yaml"), FileError);
}

TEST(Config, RelativeDataFileResolvesAgainstTheYamlFolder) {
  const ExperimentConfig c = parseExperiment("data:\n  name: points\n  file: pts.npy\n", "x.yaml",
                                             {}, "/some/dir");
  EXPECT_EQ(c.data.file, "/some/dir/pts.npy");
}

TEST(Config, SchemaCoversEveryFieldOnce) {
  ExperimentConfig c;
  const auto fields = configFields(c);
  std::set<std::string> keys;
  for (const auto& f : fields) EXPECT_TRUE(keys.insert(f.key).second) << f.key;
  // Changing any field through its pointer is seen by a diff, i.e. no pointer is stale.
  for (const auto& f : configFields(c)) {
    ExperimentConfig changed = c;
    auto changedFields = configFields(changed);
    const auto& g = *std::find_if(changedFields.begin(), changedFields.end(),
                                  [&](const ConfigField& x) { return x.key == f.key; });
    std::visit(
        [](auto* p) {
          using T = std::remove_pointer_t<decltype(p)>;
          if constexpr (std::is_same_v<T, std::string>) *p += "x";
          else if constexpr (std::is_same_v<T, bool>) *p = !*p;
          else if constexpr (std::is_same_v<T, std::optional<double>>) *p = 123.0;
          else if constexpr (std::is_same_v<T, std::array<double, 2>> ||
                             std::is_same_v<T, std::array<double, 4>>) (*p)[0] += 1;
          else *p += 1;
        },
        g.value);
    EXPECT_EQ(diffExperiments(c, changed).size(), 1u) << f.key;
  }
}

// docs/configuration.md documents every key the parser accepts.
TEST(Config, EveryKeyIsDocumented) {
  std::ifstream in(std::string(FLOWSCOPE_SOURCE_DIR) + "/docs/configuration.md");
  ASSERT_TRUE(in.good());
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ExperimentConfig c;
  for (const auto& f : configFields(c))
    EXPECT_NE(doc.find("| `" + f.key + "` |"), std::string::npos) << f.key << " is not documented";
}

// --- issue 10: duplicate keys, ranges in the schema, devices, file input ------------------------

TEST(Config, DuplicateKeysAreErrorsNamingBothPlaces) {
  // yaml-cpp keeps both entries; the second used to win (a 9999-wide model).
  std::string e = errorOf("model: {width: 32, width: 9999}\n");
  EXPECT_TRUE(contains(e, "key 'model.width' appears twice")) << e;
  e = errorOf("model:\n  width: 32\n  depth: 2\n  width: 9999\n");
  EXPECT_TRUE(contains(e, "exp.yaml:4:3: key 'model.width' appears twice")) << e;
  EXPECT_TRUE(contains(e, "first at exp.yaml:2:3")) << e;
  // A second section used to be merged into the first.
  e = errorOf("model:\n  width: 32\ntraining:\n  steps: 5\nmodel:\n  depth: 2\n");
  EXPECT_TRUE(contains(e, "exp.yaml:5:1: key 'model' appears twice")) << e;
  e = errorOf("name: a\nname: b\n");
  EXPECT_TRUE(contains(e, "key 'name' appears twice")) << e;
  // On the command line a later --set of a key overrides an earlier one, and messages name it.
  EXPECT_EQ(parseExperiment("", "x", {"model.width=8", "model.width=16"}).model.width, 16);
  e = errorOf("", {"model.width=8", "model.width=0"});
  EXPECT_TRUE(contains(e, "--set model.width=0: key 'model.width'")) << e;
  // Different keys of one section are fine.
  EXPECT_EQ(parseExperiment("model: {width: 32, depth: 3}\n", "ok.yaml").model.depth, 3);
}

TEST(Config, HugeNumbersNameTheKeyAndTheRange) {
  // Used to surface as LibTorch's "value cannot be converted to type float without overflow".
  for (const char* key : {"lr", "weight_decay", "grad_clip"}) {
    const std::string e = errorOf(std::string("optimizer:\n  ") + key + ": 1e308\n");
    EXPECT_TRUE(contains(e, "key 'optimizer." + std::string(key) + "': got 1e+308 (expected a number in")) << e;
  }
  std::string e = errorOf("schedule:\n  final_lr: 1e308\n");
  EXPECT_TRUE(contains(e, "key 'schedule.final_lr': got 1e+308 (expected a number in [0, 10])")) << e;
  // Beyond double's range: still the key's range, not just "a number".
  e = errorOf("optimizer:\n  lr: 1e400\n");
  EXPECT_TRUE(contains(e, "exp.yaml:2:7: key 'optimizer.lr': got '1e400' (expected a number in (0, 10])")) << e;
  // Integers beyond their type: the key's range.
  e = errorOf("model:\n  width: 99999999999999999999\n");
  EXPECT_TRUE(contains(e, "(expected an integer in [1, 65536])")) << e;
  e = errorOf("", {"training.steps=1e13"});
  EXPECT_TRUE(contains(e, "--set training.steps=1e13: key 'training.steps': got 10000000000000 "
                          "(expected an integer in [1, 1000000000000])")) << e;
}

TEST(Config, ToleranceTooSmallForTheSolverIsAnError) {
  // atol 1e-300 with rtol 0 used to reach dopri5 and report "h = -nan".
  const std::string e = errorOf("sampling:\n  atol: 1e-300\n  rtol: 0\n");
  EXPECT_TRUE(contains(e, "key 'sampling.atol': got 1e-300 (expected a number in [1e-12, 1])")) << e;
  EXPECT_TRUE(errorOf("sampling:\n  atol: 1e-12\n  rtol: 0\n").empty());
  EXPECT_TRUE(contains(errorOf("sampling:\n  rtol: 2\n"), "sampling.rtol"));
}

TEST(Config, EveryNumericKeyHasABoundedRangeThatValidateEnforces) {
  ExperimentConfig c;
  int checked = 0;
  for (const ConfigField& f : configFields(c)) {
    const bool unsignedInt = std::holds_alternative<uint64_t*>(f.value);
    const bool number = !std::holds_alternative<std::string*>(f.value) &&
                        !std::holds_alternative<bool*>(f.value);
    if (!number) continue;
    SCOPED_TRACE(f.key);
    if (unsignedInt) {
      EXPECT_FALSE(f.range.bounded());  // the seed: every 64-bit value is valid
      continue;
    }
    ASSERT_TRUE(f.range.min.has_value() && f.range.max.has_value());
    // Just outside each bound (for integers the next integer; open bounds: the bound itself).
    const bool integer = std::holds_alternative<int*>(f.value) || std::holds_alternative<int64_t*>(f.value);
    const double below = f.range.minOpen ? *f.range.min : *f.range.min - (integer ? 1 : std::abs(*f.range.min) * 1e-3 + 1e-300);
    const double above = f.range.maxOpen ? *f.range.max : *f.range.max + (integer ? 1 : std::abs(*f.range.max) * 1e-3 + 1e-300);
    for (double bad : {below, above}) {
      ExperimentConfig changed;
      for (const ConfigField& g : configFields(changed)) {
        if (g.key != f.key) continue;
        std::visit(
            [&](auto* p) {
              using T = std::remove_pointer_t<decltype(p)>;
              if constexpr (std::is_same_v<T, double>) *p = bad;
              else if constexpr (std::is_same_v<T, std::optional<double>>) *p = bad;
              else if constexpr (std::is_same_v<T, std::array<double, 2>> ||
                                 std::is_same_v<T, std::array<double, 4>>) (*p)[0] = bad;
              else if constexpr (std::is_same_v<T, int> || std::is_same_v<T, int64_t>) {
                if (bad >= double(std::numeric_limits<T>::min()) && bad <= double(std::numeric_limits<T>::max()))
                  *p = static_cast<T>(bad);
              }
            },
            g.value);
      }
      bool flagged = false;
      for (const ConfigIssue& issue : validate(changed)) flagged = flagged || issue.key == f.key;
      EXPECT_TRUE(flagged) << "value " << bad;
    }
    ++checked;
  }
  EXPECT_GE(checked, 30);
}

TEST(Config, CudaWithAnIndexIsAValidDevice) {
  // Documented as cpu | cuda | cuda:N | auto but cuda:N used to be rejected.
  for (const char* ok : {"cpu", "cuda", "auto", "cuda:0", "cuda:1", "cuda:15"})
    EXPECT_TRUE(errorOf(std::string("training:\n  device: \"") + ok + "\"\n").empty()) << ok;
  for (const char* bad : {"gpu", "cuda:", "cuda:-1", "cuda:01", "cuda:x", "cuda:1 ", "cuda:256"}) {
    const std::string e = errorOf(std::string("training:\n  device: \"") + bad + "\"\n");
    EXPECT_TRUE(contains(e, "key 'training.device'")) << bad << ": " << e;
    EXPECT_TRUE(contains(e, "cuda:N")) << e;
  }
}

class ConfigFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("flowscope-ConfigFiles-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  static std::string loadError(const std::string& path) {
    try {
      loadExperiment(path);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  }
  fs::path dir_;
};

TEST_F(ConfigFiles, EmptyOrCommentOnlyFilesDoNotTrainTheDefaults) {
  for (const char* text : {"", "\n\n", "# just a comment\n# another\n", "---\n", "~\n"}) {
    const std::string path = write("empty.yaml", text);
    const std::string e = loadError(path);
    EXPECT_TRUE(contains(e, path + ": holds no settings")) << "'" << text << "': " << e;
  }
  EXPECT_TRUE(loadError(write("one.yaml", "model:\n  width: 8\n")).empty());
}

TEST_F(ConfigFiles, DirectoriesAndDevicesAreRejectedNamingTheFile) {
  std::string e = loadError(dir_.string());
  EXPECT_TRUE(contains(e, dir_.string() + ": is a directory (expected a regular file")) << e;
  e = loadError("/dev/null");
  EXPECT_TRUE(contains(e, "/dev/null: is a character device")) << e;
  // /dev/zero used to be read without bound until std::bad_alloc.
  e = loadError("/dev/zero");
  EXPECT_TRUE(contains(e, "/dev/zero: is a character device")) << e;
  EXPECT_THROW(loadExperiment(dir_.string()), FileError);
}

TEST_F(ConfigFiles, OversizedFilesAreRejectedBeforeParsing) {
  std::string big = "name: big\n";
  big += "# " + std::string(kMaxExperimentFileBytes, 'x') + "\n";
  const std::string path = write("big.yaml", big);
  const std::string e = loadError(path);
  EXPECT_TRUE(contains(e, path + ": is " + std::to_string(big.size()) + " bytes (expected at most " +
                              std::to_string(kMaxExperimentFileBytes) + " bytes")) << e;
  // At the limit it still loads.
  std::string fits = "name: fits\n# ";
  fits += std::string(kMaxExperimentFileBytes - fits.size() - 1, 'x') + "\n";
  ASSERT_EQ(fits.size(), kMaxExperimentFileBytes);
  EXPECT_EQ(loadExperiment(write("fits.yaml", fits)).name, "fits");
}
