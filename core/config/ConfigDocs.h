#pragma once
// The generated parts of docs/configuration.md and docs/datasets.md: a table of every key per
// section (type, default, valid values, when it applies) from the schema and a table per
// registry (choices, the keys they use, their defaults and needs). Blocks sit between
//   <!-- generated: ID -->  and  <!-- end generated -->
// lines; `flowscope-cli docs FILE...` rewrites them and tests/base/ConfigDocsTest.cpp checks
// that the committed docs equal the generated text.

#include <string>
#include <string_view>
#include <vector>

namespace flowscope {

/// The markdown of one block: "keys SECTION" (SECTION "top" for top-level keys) or
/// "choices KEY" (KEY a registry's key, e.g. "choices data.name"). Throws InputError otherwise.
std::string generatedDocBlock(const std::string& id);

/// Every block id the configuration docs must contain: each section's keys, each registry.
std::vector<std::string> generatedDocIds();

/// `markdown` with each generated block's body replaced by its current text. Throws InputError
/// naming `source` and the line of an unknown id or a block without its end marker.
std::string refreshGeneratedDocs(std::string_view markdown, const std::string& source);

/// The ids of the blocks `markdown` contains, in order.
std::vector<std::string> generatedDocIdsIn(std::string_view markdown);

}  // namespace flowscope
