// The registries (core/registry) against the config schema: every name, key, default, range and
// requirement a registry mentions exists in the schema and fits it, and applicability follows
// the registries exactly. The engine side (a factory per name) is tests/engine/RegistryTest.cpp.

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/config/ConfigSchema.h"
#include "core/config/ConfigYaml.h"
#include "core/registry/Registries.h"
#include "core/solvers/SolverMethod.h"
#include "core/util/Error.h"

using namespace flowscope;

namespace {

ExperimentConfig withChoice(const std::string& key, const std::string& value) {
  ExperimentConfig c;
  for (const ConfigField& f : configFields(c))
    if (f.key == key) *std::get<std::string*>(f.value) = value;
  return c;
}

}  // namespace

TEST(Registries, EveryRegistryIsTheChoicesOfItsSchemaKey) {
  std::set<std::string> keys;
  for (const Registry* r : registries()) {
    SCOPED_TRACE(r->key());
    EXPECT_TRUE(keys.insert(r->key()).second) << "two registries for one key";
    const ConfigField* f = schemaField(r->key());
    ASSERT_NE(f, nullptr);
    EXPECT_TRUE(std::holds_alternative<std::string*>(f->value));
    EXPECT_EQ(f->choices, r);
    EXPECT_EQ(registryFor(r->key()), r);
    EXPECT_FALSE(r->choices().empty());
    // The default config selects a registered choice.
    EXPECT_NE(r->find(*std::get<std::string*>(f->value)), nullptr);
    for (const Choice& c : r->choices()) EXPECT_FALSE(c.summary.empty()) << c.name;
  }
  // And every schema key with choices has its registry in the list.
  ExperimentConfig c;
  for (const ConfigField& f : configFields(c))
    if (f.choices) {
      EXPECT_TRUE(keys.count(f.key)) << f.key;
    }
}

TEST(Registries, KeysDefaultsRangesAndRequirementsReferToTheSchema) {
  for (const Registry* r : registries()) {
    for (const Choice& c : r->choices()) {
      SCOPED_TRACE(r->key() + " " + c.name);
      for (const auto& k : c.keys) EXPECT_NE(schemaField(k), nullptr) << k;
      for (const auto& k : c.needs) EXPECT_TRUE(c.lists(k)) << k;
      for (const auto& [k, text] : c.defaults) {
        ASSERT_TRUE(c.lists(k)) << k << ": a default for a key the choice does not use";
        const ConfigField* f = schemaField(k);
        ASSERT_NE(f, nullptr);
        // A string key's default is a non-empty text (data.root: a folder); any other is a
        // number within the key's (narrowed) range under this choice.
        if (std::holds_alternative<std::string*>(f->value)) {
          EXPECT_FALSE(text.empty()) << k;
          continue;
        }
        const auto value = c.numberDefault(k);
        ASSERT_TRUE(value.has_value()) << k << ": " << text;
        const ExperimentConfig cfg = withChoice(r->key(), c.name);
        EXPECT_TRUE(effectiveRange(*f, cfg).contains(*value)) << k << ": " << text;
      }
      for (const auto& [k, range] : c.ranges) {
        ASSERT_TRUE(c.lists(k)) << k;
        const ConfigField* f = schemaField(k);
        ASSERT_NE(f, nullptr);
        // A choice narrows the schema's range, it never widens it.
        ASSERT_TRUE(range.min && range.max && f->range.min && f->range.max) << k;
        EXPECT_GE(*range.min, *f->range.min) << k;
        EXPECT_LE(*range.max, *f->range.max) << k;
      }
      for (const Requirement& req : c.requirements) {
        const Registry* other = registryFor(req.key);
        ASSERT_NE(other, nullptr) << req.key;
        for (const auto& v : req.values) EXPECT_NE(other->find(v), nullptr) << v;
        for (const auto& tag : req.tags) {
          bool someone = false;
          for (const Choice& o : other->choices()) someone = someone || o.hasTag(tag);
          EXPECT_TRUE(someone) << "no " << req.key << " choice has tag " << tag;
        }
        EXPECT_FALSE(req.values.empty() && req.tags.empty());
      }
    }
  }
}

TEST(Registries, AKeyAppliesExactlyWhenTheSelectedChoiceListsIt) {
  for (const Registry* r : registries()) {
    const auto governed = r->governedKeys();
    for (const Choice& c : r->choices()) {
      const ExperimentConfig cfg = withChoice(r->key(), c.name);
      if (!fieldApplies(r->key(), cfg)) continue;
      for (const auto& k : governed) EXPECT_EQ(fieldApplies(k, cfg), c.lists(k)) << r->key() << "=" << c.name << ": " << k;
    }
  }
  // Nested: time_frequencies needs fourier, under model mlp.
  ExperimentConfig c;
  EXPECT_TRUE(fieldApplies("model.time_frequencies", c));
  c.model.time_embedding = "concat";
  EXPECT_FALSE(fieldApplies("model.time_frequencies", c));
  // An unknown choice greys nothing out (its own message says what is wrong).
  c = withChoice("data.name", "nonsense");
  EXPECT_TRUE(fieldApplies("data.file", c));
  EXPECT_TRUE(fieldApplies("data.mean", c));
  // Keys no registry lists always apply.
  EXPECT_TRUE(fieldApplies("optimizer.lr", withChoice("path.name", "vp")));
}

TEST(Registries, ValidateFollowsNeedsAndRequirements) {
  // Every (choice, other choice) pair: validate() reports the choice's key exactly when a
  // requirement is unmet.
  for (const Registry* r : registries()) {
    for (const Choice& c : r->choices()) {
      for (const Requirement& req : c.requirements) {
        for (const Choice& o : registryFor(req.key)->choices()) {
          ExperimentConfig cfg = withChoice(r->key(), c.name);
          for (const ConfigField& f : configFields(cfg))
            if (f.key == req.key) *std::get<std::string*>(f.value) = o.name;
          const bool ok = std::count(req.values.begin(), req.values.end(), o.name) > 0 ||
                          std::any_of(req.tags.begin(), req.tags.end(), [&](const std::string& t) { return o.hasTag(t); });
          bool flagged = false;
          for (const ConfigIssue& issue : validate(cfg))
            flagged = flagged || (issue.key == r->key() && issue.message.find("needs " + req.key) != std::string::npos);
          EXPECT_EQ(flagged, !ok) << r->key() << "=" << c.name << " with " << req.key << "=" << o.name;
        }
      }
      for (const auto& need : c.needs) {
        const ExperimentConfig cfg = withChoice(r->key(), c.name);
        bool flagged = false;
        for (const ConfigIssue& issue : validate(cfg)) flagged = flagged || issue.key == need;
        EXPECT_TRUE(flagged) << c.name << " without " << need;
      }
    }
  }
}

TEST(Registries, SolverRegistryIsTheSolverTable) {
  std::vector<std::string> names;
  for (const SolverInfo& s : solverMethods()) {
    names.push_back(s.name);
    EXPECT_EQ(parseSolverMethod(s.name), s.method);
    EXPECT_EQ(solverMethodName(s.method), s.name);
    const Choice* c = solverRegistry().find(s.name);
    ASSERT_NE(c, nullptr) << s.name;
    EXPECT_EQ(c->lists("sampling.steps"), !s.adaptive);
    EXPECT_EQ(c->lists("sampling.atol"), s.adaptive);
  }
  EXPECT_EQ(solverRegistry().names(), names);
  try {
    parseSolverMethod("rk45", "--solver");
    FAIL();
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("--solver: unknown solver 'rk45'"), std::string::npos) << m;
    for (const auto& n : names) EXPECT_NE(m.find(n), std::string::npos) << n;
  }
}

TEST(Registries, ToleranceCheckSharedBySolverAndSchema) {
  EXPECT_NO_THROW(checkTolerances(kMinTolerance, 0));
  EXPECT_NO_THROW(checkTolerances(1e-5, 1e-5));
  EXPECT_THROW(checkTolerances(1e-300, 0), InputError);
  EXPECT_THROW(checkTolerances(0, 0), InputError);
  EXPECT_THROW(checkTolerances(1e-5, -1), InputError);
  EXPECT_THROW(checkTolerances(2, 0), InputError);
  EXPECT_EQ(schemaField("sampling.atol")->range.min, kMinTolerance);
}

TEST(Registries, ABadRegistrationIsCaughtAtConstruction) {
  EXPECT_THROW(Registry("k", "things", {{"a", "x"}, {"a", "y"}}), std::logic_error);
  Choice c{"a", "x"};
  c.needs = {"k.file"};  // needed but not listed among its keys
  EXPECT_THROW(Registry("k", "things", {c}), std::logic_error);
}
