// The documentation's tables are generated from the schema and the registries
// (core/config/ConfigDocs.h): the committed docs must equal the generated text, contain a block
// for every section and registry, and the block markers must be parsed strictly.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/config/ConfigDocs.h"
#include "core/config/ConfigSchema.h"
#include "core/registry/Registries.h"
#include "core/util/Error.h"

using namespace flowscope;

namespace {

std::string readDoc(const std::string& name) {
  std::ifstream in(std::string(FLOWSCOPE_SOURCE_DIR) + "/docs/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST(ConfigDocs, CommittedDocsEqualTheGeneratedTables) {
  for (const char* name : {"configuration.md", "datasets.md"}) {
    const std::string doc = readDoc(name);
    EXPECT_EQ(refreshGeneratedDocs(doc, name), doc)
        << "docs/" << name << " is out of date: run build/app/flowscope-cli docs docs/" << name;
  }
}

TEST(ConfigDocs, ConfigurationDocsHaveEverySectionAndRegistry) {
  const auto ids = generatedDocIdsIn(readDoc("configuration.md"));
  for (const std::string& id : generatedDocIds())
    EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id << " is missing";
  // So every key and every registered name is documented.
  const std::string doc = readDoc("configuration.md");
  ExperimentConfig c;
  for (const ConfigField& f : configFields(c)) EXPECT_NE(doc.find("| `" + f.key + "` |"), std::string::npos) << f.key;
  for (const Registry* r : registries())
    for (const std::string& n : r->names()) EXPECT_NE(doc.find("| `" + n + "` |"), std::string::npos) << n;
}

TEST(ConfigDocs, EveryDatasetHasItsSectionInDatasetsMd) {
  const std::string doc = readDoc("datasets.md");
  const auto ids = generatedDocIdsIn(doc);
  EXPECT_NE(std::find(ids.begin(), ids.end(), "choices data.name"), ids.end());
  for (const std::string& n : datasetRegistry().names())
    EXPECT_NE(doc.find("\n## " + n + "\n"), std::string::npos) << "no '## " << n << "' section";
}

TEST(ConfigDocs, TablesCarryRangesDefaultsAndApplicability) {
  const std::string model = generatedDocBlock("keys model");
  EXPECT_NE(model.find("| `model.width` | integer | `256` | [1, 65536] | `model.name` `mlp` |"), std::string::npos) << model;
  const std::string data = generatedDocBlock("choices data.name");
  EXPECT_NE(data.find("| `two_moons` |"), std::string::npos);
  EXPECT_NE(data.find("`data.noise` (default 0.1)"), std::string::npos) << data;
  EXPECT_NE(data.find("needs `data.file`"), std::string::npos) << data;
  const std::string objectives = generatedDocBlock("choices objective.name");
  EXPECT_NE(objectives.find("needs `path.name` `vp`"), std::string::npos) << objectives;
  // Cells never break the table: a '|' inside one is escaped.
  EXPECT_NE(objectives.find("u_t(x\\|x1)"), std::string::npos) << objectives;
}

TEST(ConfigDocs, MarkersAreParsedStrictly) {
  const std::string ok = "intro\n<!-- generated: keys ema -->\nstale\n<!-- end generated -->\nafter\n";
  const std::string fresh = refreshGeneratedDocs(ok, "x.md");
  EXPECT_EQ(fresh, "intro\n<!-- generated: keys ema -->\n" + generatedDocBlock("keys ema") +
                       "<!-- end generated -->\nafter\n");
  EXPECT_EQ(refreshGeneratedDocs(fresh, "x.md"), fresh);  // idempotent
  try {
    refreshGeneratedDocs("a\n<!-- generated: keys nope -->\n<!-- end generated -->\n", "x.md");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("x.md:2: docs: no config section 'nope'"), std::string::npos) << e.what();
  }
  try {
    refreshGeneratedDocs("<!-- generated: keys ema -->\nno end\n", "y.md");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("y.md:1: generated block has no"), std::string::npos) << e.what();
  }
  EXPECT_THROW(generatedDocBlock("choices optimizer.lr"), InputError);
}
