#include "core/train/RunDirectory.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "core/util/Error.h"

namespace fs = std::filesystem;

namespace flowscope {

RunDirectory::RunDirectory(std::string root) : root_(std::move(root)) {}

std::string RunDirectory::configPath() const { return (fs::path(root_) / "config.yaml").string(); }
std::string RunDirectory::metricsPath() const { return (fs::path(root_) / "metrics.csv").string(); }
std::string RunDirectory::checkpointDir() const { return (fs::path(root_) / "checkpoints").string(); }
std::string RunDirectory::samplesDir() const { return (fs::path(root_) / "samples").string(); }

std::string RunDirectory::checkpointPath(int64_t step) const {
  char name[64];
  std::snprintf(name, sizeof name, "step_%08lld.pt", static_cast<long long>(step));
  return (fs::path(checkpointDir()) / name).string();
}

std::string RunDirectory::latestCheckpointPath() const {
  return (fs::path(checkpointDir()) / "latest.pt").string();
}

void RunDirectory::create() const {
  std::error_code ec;
  fs::create_directories(checkpointDir(), ec);
  if (!ec) fs::create_directories(samplesDir(), ec);
  if (ec) throw FileError(root_ + ": cannot create run folder (" + ec.message() + ")");
}

bool RunDirectory::hasCheckpoint() const { return fs::exists(latestCheckpointPath()); }

std::vector<int64_t> RunDirectory::checkpointSteps() const {
  std::vector<int64_t> steps;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(checkpointDir(), ec)) {
    const std::string name = entry.path().filename().string();
    long long step = 0;
    char tail[8] = {0};
    if (name.size() == 16 && std::sscanf(name.c_str(), "step_%8lld.%2s", &step, tail) == 2 &&
        std::string(tail) == "pt")
      steps.push_back(step);
  }
  std::sort(steps.begin(), steps.end());
  return steps;
}

std::string RunDirectory::resolveCheckpoint(const std::string& which, const std::string& what) const {
  if (!fs::is_directory(root_))
    throw InputError(root_ + ": run folder does not exist");
  if (which == "latest") {
    if (!hasCheckpoint())
      throw InputError(what + " latest: " + root_ + " has no checkpoint yet (" +
                       latestCheckpointPath() + " is missing)");
    return latestCheckpointPath();
  }
  size_t used = 0;
  long long step = -1;
  try {
    step = std::stoll(which, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != which.size() || step < 0)
    throw InputError(what + ": got '" + which + "' (expected latest or a step number)");
  const std::string path = checkpointPath(step);
  if (!fs::exists(path)) {
    std::string have;
    for (int64_t s : checkpointSteps()) have += (have.empty() ? "" : ", ") + std::to_string(s);
    throw InputError(what + " " + which + ": no checkpoint for step " + which + " in " + root_ +
                     " (available: " + (have.empty() ? "none" : have) + ")");
  }
  return path;
}

}  // namespace flowscope
