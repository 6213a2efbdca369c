#include "core/registry/Registries.h"

namespace flowscope {

const std::vector<const Registry*>& registries() {
  static const std::vector<const Registry*> all{
      &datasetRegistry(),    &resizeFilterRegistry(),  &pathRegistry(),
      &objectiveRegistry(),  &modelRegistry(),         &unetPresetRegistry(),
      &activationRegistry(), &timeEmbeddingRegistry(),
      &scheduleRegistry(),   &deviceRegistry(),        &precisionRegistry(),
      &solverRegistry(),
  };
  return all;
}

const Registry* registryFor(const std::string& key) {
  for (const Registry* r : registries())
    if (r->key() == key) return r;
  return nullptr;
}

}  // namespace flowscope
