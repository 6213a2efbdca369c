// Registries (torch-free names and metadata) against the engine: every registered name has a
// factory and every factory a registration, and what the registry says about a choice (its
// default noise, exact log density, alpha_t > 0, which objectives work on which path) is what
// the engine does. Adding a dataset, path, objective or model without both halves fails here.

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include <unistd.h>

#include "core/config/ConfigSchema.h"
#include "core/config/ExperimentConfig.h"
#include "core/data/Circles.h"
#include "core/data/DatasetFactory.h"
#include "core/data/ImageDatasets.h"
#include "core/data/EightGaussians.h"
#include "core/data/Pinwheel.h"
#include "core/data/PointCloud.h"
#include "core/data/Spirals.h"
#include "core/data/SwissRoll.h"
#include "core/data/TwoMoons.h"
#include "core/models/ModelFactory.h"
#include "core/objectives/ObjectiveFactory.h"
#include "core/paths/PathFactory.h"
#include "core/registry/Registries.h"
#include "core/solvers/OdeSolver.h"
#include "core/train/LrSchedule.h"
#include "core/train/MetricsLog.h"
#include "core/util/Device.h"
#include "core/util/Error.h"
#include "core/util/Random.h"

using namespace flowscope;
namespace fs = std::filesystem;

namespace {

template <typename Map>
std::set<std::string> keysOf(const Map& m) {
  std::set<std::string> out;
  for (const auto& [k, v] : m) out.insert(k);
  return out;
}

std::set<std::string> namesOf(const Registry& r) {
  const auto n = r.names();
  return {n.begin(), n.end()};
}

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("flowscope-RegistryTest-" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

DataConfig buildable(const std::string& name, const fs::path& dir) {
  DataConfig c;
  c.name = name;
  if (name == "points") {
    std::ofstream(dir / "pts.csv") << "x,y\n0,0\n1,0\n0,2\n-3,1\n";
    c.file = (dir / "pts.csv").string();
  }
  return c;
}

}  // namespace

TEST(RegistryFactories, EveryRegisteredNameHasAFactoryAndViceVersa) {
  // The 2D datasets have factories; the image datasets are read by core/data/ImageDatasets.
  std::vector<std::string> points, images;
  for (const Choice& c : datasetRegistry().choices()) {
    EXPECT_NE(c.hasTag("points2d"), c.hasTag("images")) << c.name << ": exactly one of the two";
    (c.hasTag("images") ? images : points).push_back(c.name);
    EXPECT_EQ(isImageDataset(c.name), c.hasTag("images")) << c.name;
  }
  EXPECT_EQ(keysOf(datasetFactories()), std::set<std::string>(points.begin(), points.end()));
  EXPECT_FALSE(images.empty());
  EXPECT_EQ(keysOf(pathFactories()), namesOf(pathRegistry()));
  EXPECT_EQ(keysOf(objectiveFactories()), namesOf(objectiveRegistry()));
  EXPECT_EQ(keysOf(modelFactories()), namesOf(modelRegistry()));
}

TEST(RegistryFactories, EveryDatasetBuildsAndKeepsItsName) {
  TempDir dir;
  for (const Choice& c : datasetRegistry().choices()) {
    if (c.hasTag("images")) continue;
    SCOPED_TRACE(c.name);
    const auto data = makeDataset(buildable(c.name, dir.path));
    EXPECT_EQ(data->name(), c.name);
    EXPECT_EQ(data->hasLogDensity(), c.hasTag("exact_log_density"));
    ASSERT_TRUE(c.hasTag("points2d"));
    at::Generator gen = makeGenerator(1);
    EXPECT_EQ(data->sample(5, gen).sizes(), torch::IntArrayRef({5, 2}));
  }
}

TEST(RegistryFactories, DefaultNoiseComesFromTheRegistry) {
  // The classes' own defaults (the reference constructions) agree with the registry...
  const std::map<std::string, double> classDefaults{
      {"eight_gaussians", EightGaussians::kDefaultNoise}, {"two_moons", TwoMoons::kDefaultNoise},
      {"circles", Circles::kDefaultNoise},                {"spirals", Spirals::kDefaultNoise},
      {"pinwheel", Pinwheel::kDefaultNoise},              {"swiss_roll", SwissRoll::kDefaultNoise},
      {"points", PointCloud::kDefaultNoise}};
  TempDir dir;
  for (const Choice& c : datasetRegistry().choices()) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(c.lists("data.noise"), classDefaults.count(c.name) == 1);
    if (!c.lists("data.noise")) continue;
    const auto d = c.numberDefault("data.noise");
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(*d, classDefaults.at(c.name));
    // ...and the factory applies it when data.noise is unset: same samples as given explicitly.
    DataConfig unset = buildable(c.name, dir.path), given = unset;
    given.noise = *d;
    at::Generator g1 = makeGenerator(3), g2 = makeGenerator(3);
    EXPECT_TRUE(torch::equal(makeDataset(unset)->sample(200, g1), makeDataset(given)->sample(200, g2)));
  }
}

TEST(RegistryFactories, AlphaPositiveTagMatchesThePaths) {
  for (const Choice& c : pathRegistry().choices()) {
    SCOPED_TRACE(c.name);
    PathConfig pc;
    pc.name = c.name;
    const auto path = makePath(pc);
    EXPECT_EQ(path->name(), c.name);
    const torch::Tensor ends = path->alpha(torch::tensor({path->tMin(), path->tMax()}, torch::kFloat64));
    EXPECT_EQ(ends.min().item<double>() > 0.0, c.hasTag("alpha_positive"));
  }
}

TEST(RegistryFactories, ObjectivePathPairsTheRegistryAllowsAreThoseTheEngineBuilds) {
  for (const Choice& o : objectiveRegistry().choices()) {
    for (const Choice& p : pathRegistry().choices()) {
      SCOPED_TRACE(o.name + " on " + p.name);
      ExperimentConfig c;
      c.objective.name = o.name;
      c.path.name = p.name;
      bool allowed = true;
      for (const ConfigIssue& issue : validate(c)) allowed = allowed && issue.key != "objective.name";
      bool built = true;
      try {
        makeObjective(c.objective, makePath(c.path));
      } catch (const ConfigError&) {
        built = false;
      }
      // The engine's own check (alpha_t > 0) may be weaker than the registry's (scoreflow: vp).
      EXPECT_TRUE(!allowed || built);
    }
  }
}

TEST(RegistryFactories, EveryMlpActivationAndTimeEmbeddingBuilds) {
  for (const std::string& act : activationRegistry().names())
    for (const std::string& emb : timeEmbeddingRegistry().names()) {
      SCOPED_TRACE(act + " " + emb);
      ModelConfig mc;
      mc.activation = act;
      mc.time_embedding = emb;
      mc.width = 8;
      mc.depth = 1;
      const VelocityNet net = makeModel(mc, {2});
      const torch::Tensor out = net->forward(torch::zeros({3, 2}), torch::zeros({3, 1}));
      EXPECT_EQ(out.sizes(), torch::IntArrayRef({3, 2}));
    }
  ModelConfig bad;
  bad.name = "transformer";
  try {
    makeModel(bad, {2});
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "model.name");
    EXPECT_NE(std::string(e.what()).find("expected one of: mlp, unet"), std::string::npos) << e.what();
  }
}

TEST(RegistryFactories, EveryUNetPresetIsAPresetOfTheModelAndBuildsOnImages) {
  const auto presets = UNetConfig::presetNames();
  EXPECT_EQ(namesOf(unetPresetRegistry()), std::set<std::string>(presets.begin(), presets.end()));
  for (const std::string& preset : unetPresetRegistry().names()) {
    SCOPED_TRACE(preset);
    ModelConfig mc;
    mc.name = "unet";
    mc.preset = preset;
    // The preset's architecture on the data's shape: channels and size come from the images.
    const UNetConfig u = unetConfigFor(mc, {1, 32, 32});
    const UNetConfig p = UNetConfig::preset(preset);
    EXPECT_EQ(u.inChannels, 1);
    EXPECT_EQ(u.imageSize, 32);
    EXPECT_EQ(u.modelChannels, p.modelChannels);
    EXPECT_EQ(u.numResBlocks, p.numResBlocks);
    EXPECT_EQ(u.channelMult, p.channelMult);
  }
  // Overrides reach the network, and the smallest one runs on flattened images.
  ModelConfig mc;
  mc.name = "unet";
  mc.channels = 8;
  mc.groups = 4;
  mc.dropout = 0.25;
  mc.classes = 3;
  const UNetConfig u = unetConfigFor(mc, {1, 28, 28});
  EXPECT_EQ(u.modelChannels, 8);
  EXPECT_EQ(u.groups, 4);
  EXPECT_EQ(u.dropout, 0.25);
  EXPECT_EQ(u.numClasses, 3);
  const VelocityNet net = makeModel(mc, {1, 28, 28});
  EXPECT_EQ(net->classes(), 3);
  const torch::Tensor out = net->forward(torch::zeros({2, 784}), torch::zeros({2, 1}),
                                         torch::tensor({0, 3}, torch::kLong));
  EXPECT_EQ(out.sizes(), torch::IntArrayRef({2, 784}));
  // A bad override names its key.
  mc.groups = 5;  // 8 channels do not divide into 5 groups
  try {
    unetConfigFor(mc, {1, 28, 28});
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "model.groups") << e.what();
  }
  mc.groups = 4;
  try {
    unetConfigFor(mc, {2});
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "model.name") << e.what();
  }
}

TEST(RegistryFactories, EverySolverAndScheduleIsKnownToTheEngine) {
  const auto v = [](const torch::Tensor& x, double) { return -x; };
  for (const std::string& name : solverRegistry().names()) {
    SolveOptions o;
    o.method = parseSolverMethod(name);
    o.steps = 64;  // Euler's error is about e^-1 / (2 * 64) here
    const SolveResult r = solve(v, torch::ones({2, 2}, torch::kFloat64), o);
    EXPECT_NEAR(r.final()[0][0].item<double>(), std::exp(-1.0), 1e-2) << name;
  }
  for (const std::string& name : scheduleRegistry().names()) {
    ScheduleConfig s;
    s.name = name;
    EXPECT_NO_THROW(LrSchedule(s, 1e-3, 100)) << name;
  }
  ScheduleConfig bad;
  bad.name = "cosine";  // used to fall back to a constant schedule silently
  EXPECT_THROW(LrSchedule(bad, 1e-3, 100), ConfigError);
}

TEST(RegistryFactories, DevicesAndThreads) {
  for (const std::string& name : deviceRegistry().names()) {
    if (name == "cuda" && !torch::cuda::is_available()) continue;
    EXPECT_NO_THROW(resolveDevice(name)) << name;
  }
  if (!torch::cuda::is_available()) {
    try {
      resolveDevice("cuda:1");
      FAIL();
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("'cuda:1' requested but no CUDA device"), std::string::npos) << e.what();
    }
  }
  // Negative counts used to mean all cores; thousands of threads thrash.
  EXPECT_THROW(configureThreads(-1), InputError);
  EXPECT_THROW(configureThreads(4096), InputError);
  EXPECT_NO_THROW(configureThreads(1));
}

TEST(RegistryFactories, TolerancesTooSmallForFloat32AreRejectedUpFront) {
  // atol 1e-300, rtol 0 used to end in "step size underflow ... (h = -nan)".
  SolveOptions o;
  o.method = SolverMethod::Dopri5;
  o.atol = 1e-300;
  o.rtol = 0;
  const auto v = [](const torch::Tensor& x, double) { return -x; };
  try {
    solve(v, torch::ones({4, 2}), o);
    FAIL();
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("atol: got 1e-300 (expected a number in [1e-12, 1])"), std::string::npos) << m;
    EXPECT_EQ(m.find("nan"), std::string::npos) << m;
  }
}

TEST(RegistryFactories, MetricsCsvColumnsAreEscapedAndReadBack) {
  TempDir dir;
  const std::string path = (dir.path / "metrics.csv").string();
  {
    MetricsLog log(path, {"step", "loss", "odd,\"name\""}, -1);
    log.append({{"step", 1}, {"loss", 0.5}, {"odd,\"name\"", 2}});
  }
  const MetricsTable t = readMetrics(path);
  ASSERT_EQ(t.columns.size(), 3u);
  EXPECT_EQ(t.columns[2], "odd,\"name\"");
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0][2], 2.0);
}
