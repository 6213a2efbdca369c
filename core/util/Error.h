#pragma once
// Error types shared by the engine and its front ends. Every message names the source (file,
// key or argument), what was wrong and what was expected, so front ends can show it verbatim.

#include <stdexcept>
#include <string>

namespace flowscope {

/// Malformed or out-of-range user input: a config key, a file, a command-line argument.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A configuration problem; `key` is the dotted config key ("model.width") or empty.
class ConfigError : public InputError {
 public:
  ConfigError(std::string key, const std::string& message)
      : InputError(message), key_(std::move(key)) {}
  const std::string& key() const noexcept { return key_; }

 private:
  std::string key_;
};

/// A file that could not be read, parsed or written.
class FileError : public InputError {
 public:
  using InputError::InputError;
};

/// Training stopped because the loss became NaN or infinite.
class NonFiniteLossError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace flowscope
