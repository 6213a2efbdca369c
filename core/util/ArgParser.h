#pragma once
// A small command-line parser for flowscope-cli and the app: long options with values
// (--n 100 or --n=100), flags, repeatable options (--set), typed getters whose errors name the
// argument, and generated --help text.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/util/Error.h"

namespace flowscope {

/// Bad command-line usage; the message names the argument and what was expected.
class UsageError : public InputError {
 public:
  using InputError::InputError;
};

class ParsedArgs {
 public:
  bool has(const std::string& name) const;
  /// The value of a single-valued option (its default when not given); UsageError when absent.
  std::string get(const std::string& name) const;
  std::string getOr(const std::string& name, const std::string& fallback) const;
  const std::vector<std::string>& getAll(const std::string& name) const;
  int64_t getInt(const std::string& name) const;
  double getDouble(const std::string& name) const;
  /// Comma-separated numbers, e.g. "0,0.5,1".
  std::vector<double> getDoubleList(const std::string& name) const;
  std::vector<int64_t> getIntList(const std::string& name) const;
  std::vector<std::string> getStringList(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  friend class ArgParser;
  std::map<std::string, std::vector<std::string>> values_;
  std::map<std::string, bool> flags_;
  std::vector<std::string> positional_;
};

class ArgParser {
 public:
  ArgParser(std::string usageLine, std::string description);

  /// --name VALUE. `defaultValue` empty means none.
  ArgParser& option(const std::string& name, const std::string& valueName, const std::string& help,
                    const std::string& defaultValue = "", bool required = false);
  /// --name VALUE, may be repeated.
  ArgParser& repeated(const std::string& name, const std::string& valueName, const std::string& help);
  /// --name without a value.
  ArgParser& flag(const std::string& name, const std::string& help);
  /// Allows up to `maxCount` positional arguments, described in the usage line.
  ArgParser& positionals(int maxCount);

  /// Throws UsageError on unknown options, missing values, repeated single options and missing
  /// required options. "--help"/"-h" is always accepted as a flag.
  ParsedArgs parse(const std::vector<std::string>& args) const;

  std::string help() const;

 private:
  struct Spec {
    std::string name, valueName, help, defaultValue;
    bool takesValue = true, repeatable = false, required = false;
  };
  const Spec* find(const std::string& name) const;
  std::string suggestion(const std::string& name) const;

  std::string usageLine_, description_;
  std::vector<Spec> specs_;
  int maxPositionals_ = 0;
};

}  // namespace flowscope
