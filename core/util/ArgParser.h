#pragma once
// A small command-line parser for flowscope-cli and the app: long options with values
// (--n 100 or --n=100), flags, repeatable options (--set), typed options with a valid range
// (integers, numbers, lists, choices) checked when parsing, getters whose errors name the
// argument, and generated --help text.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/util/Error.h"
#include "core/util/ValueRange.h"

namespace flowscope {

/// Bad command-line usage; the message names the argument and what was expected.
class UsageError : public InputError {
 public:
  using InputError::InputError;
};

/// One declared option. Typed options are checked by parse(), so a bad value is reported before
/// any work starts; untyped ones only by the getter that reads them.
struct ArgSpec {
  enum class Kind { Text, Integer, Number, IntegerList, NumberList, Choice };
  std::string name, valueName, help, defaultValue;
  bool takesValue = true, repeatable = false, required = false;
  Kind kind = Kind::Text;
  ValueRange range;                  ///< Integer, Number and their lists (each element)
  std::vector<std::string> choices;  ///< Choice
  std::function<bool(const std::string&)> alsoAccepted;  ///< Choice: e.g. cuda:N
  std::string alsoAcceptedText;

  /// "an integer in [1, 1000000]", "one of: euler, rk4", "" for text.
  std::string expected() const;
  /// Throws UsageError naming --name unless `value` fits the kind and range.
  void check(const std::string& value) const;
};

class ParsedArgs {
 public:
  bool has(const std::string& name) const;
  /// The value of a single-valued option (its default when not given); UsageError when absent.
  std::string get(const std::string& name) const;
  std::string getOr(const std::string& name, const std::string& fallback) const;
  const std::vector<std::string>& getAll(const std::string& name) const;
  /// Within the option's declared range (typed options), else any int64.
  int64_t getInt(const std::string& name) const;
  double getDouble(const std::string& name) const;
  /// Comma-separated numbers, e.g. "0,0.5,1".
  std::vector<double> getDoubleList(const std::string& name) const;
  std::vector<int64_t> getIntList(const std::string& name) const;
  std::vector<std::string> getStringList(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  friend class ArgParser;
  const ArgSpec* spec(const std::string& name) const;
  std::map<std::string, std::vector<std::string>> values_;
  std::map<std::string, bool> flags_;
  std::vector<std::string> positional_;
  std::map<std::string, ArgSpec> specs_;
};

class ArgParser {
 public:
  ArgParser(std::string usageLine, std::string description);

  /// --name VALUE. `defaultValue` empty means none.
  ArgParser& option(const std::string& name, const std::string& valueName, const std::string& help,
                    const std::string& defaultValue = "", bool required = false);
  /// --name N: an integer within `range` (and int64).
  ArgParser& integer(const std::string& name, const std::string& valueName,
                     const std::string& help, const ValueRange& range,
                     const std::string& defaultValue = "", bool required = false);
  /// --name X: a finite number within `range`.
  ArgParser& number(const std::string& name, const std::string& valueName, const std::string& help,
                    const ValueRange& range, const std::string& defaultValue = "",
                    bool required = false);
  /// --name 1,2,4: comma-separated integers / numbers, each within `range`.
  ArgParser& integerList(const std::string& name, const std::string& valueName,
                         const std::string& help, const ValueRange& range,
                         const std::string& defaultValue = "");
  ArgParser& numberList(const std::string& name, const std::string& valueName,
                        const std::string& help, const ValueRange& range,
                        const std::string& defaultValue = "");
  /// --name VALUE, one of `values` (or a value `alsoAccepted` takes, described by `alsoText`).
  ArgParser& choice(const std::string& name, const std::string& valueName, const std::string& help,
                    std::vector<std::string> values, const std::string& defaultValue = "",
                    std::function<bool(const std::string&)> alsoAccepted = {},
                    const std::string& alsoText = "");
  /// --name VALUE, may be repeated.
  ArgParser& repeated(const std::string& name, const std::string& valueName, const std::string& help);
  /// --name without a value.
  ArgParser& flag(const std::string& name, const std::string& help);
  /// Allows up to `maxCount` positional arguments, described in the usage line.
  ArgParser& positionals(int maxCount);
  /// Text printed after the options in help(), e.g. the datasets and solvers to choose from.
  ArgParser& epilog(const std::string& text);

  /// Throws UsageError on unknown options, missing or empty values, values outside a typed
  /// option's range, repeated single options and missing required options. "--help"/"-h" is
  /// always accepted as a flag.
  ParsedArgs parse(const std::vector<std::string>& args) const;

  std::string help() const;

 private:
  ArgParser& add(ArgSpec spec);
  const ArgSpec* find(const std::string& name) const;
  std::string suggestion(const std::string& name) const;

  std::string usageLine_, description_, epilog_;
  std::vector<ArgSpec> specs_;
  int maxPositionals_ = 0;
};

}  // namespace flowscope
