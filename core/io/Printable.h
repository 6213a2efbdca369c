#pragma once
// Quoting untrusted bytes in error messages: hostile input must not garble the message.

#include <cstddef>
#include <string>
#include <string_view>

namespace flowscope {

/// At most `limit` characters of `s`, with backslashes, newlines and non-printable bytes escaped
/// (\\, \n, \xNN) and "..." when cut.
std::string printableExcerpt(std::string_view s, size_t limit);

}  // namespace flowscope
