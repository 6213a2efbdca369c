#pragma once
// Every registry of the experiment config, one accessor each (the one place that names them).
// Torch-free; the engine's factories are keyed by the same names (core/data/DatasetFactory.cpp,
// core/paths/PathFactory.cpp, core/objectives/ObjectiveFactory.cpp, core/models/ModelFactory.cpp,
// core/solvers/SolverMethod.cpp).

#include <string>
#include <vector>

#include "core/registry/Registry.h"

namespace flowscope {

const Registry& datasetRegistry();        ///< data.name (core/registry/Datasets.cpp)
const Registry& pathRegistry();           ///< path.name (Paths.cpp)
const Registry& objectiveRegistry();      ///< objective.name (Objectives.cpp)
const Registry& resizeFilterRegistry();   ///< data.resize_filter (Datasets.cpp)
const Registry& modelRegistry();          ///< model.name (Models.cpp)
const Registry& unetPresetRegistry();     ///< model.preset (Models.cpp)
const Registry& activationRegistry();     ///< model.activation (Models.cpp)
const Registry& timeEmbeddingRegistry();  ///< model.time_embedding (Models.cpp)
const Registry& scheduleRegistry();       ///< schedule.name (Schedules.cpp)
const Registry& solverRegistry();         ///< sampling.solver (Solvers.cpp)
const Registry& deviceRegistry();         ///< training.device (Devices.cpp)
const Registry& precisionRegistry();      ///< training.precision (Precisions.cpp)

/// All of the above, in the order of the config's sections.
const std::vector<const Registry*>& registries();
/// The registry whose choices `key` selects, or nullptr.
const Registry* registryFor(const std::string& key);

}  // namespace flowscope
