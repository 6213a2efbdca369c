#include "core/io/Csv.h"
#include "core/io/Printable.h"

#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "core/io/AtomicFile.h"
#include "core/util/Error.h"

namespace flowscope {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";  // UTF-8 byte-order mark

std::string printable(std::string_view s) { return printableExcerpt(s, 40); }

struct Field {
  std::string text;
  size_t column;  // 1-based character column where the field starts, for error messages
};

class LineSplitter {
 public:
  LineSplitter(const std::string& source, char delim) : source_(source), delim_(delim) {}

  // Splits one line into trimmed, unquoted fields. `lineNo` is only used in errors.
  std::vector<Field> split(std::string_view line, size_t lineNo) const {
    std::vector<Field> fields;
    size_t pos = 0;
    for (;;) {
      const size_t fieldStart = pos;
      while (pos < line.size() && isTrim(line[pos])) ++pos;
      Field f{std::string(), pos + 1};
      if (pos < line.size() && line[pos] == '"') {
        // RFC 4180: "" inside quotes is one quote; quoted fields may not span lines here.
        ++pos;
        for (;;) {
          if (pos >= line.size()) {
            fail(lineNo, f.column, "field " + std::to_string(fields.size() + 1) +
                                       " has an unterminated quote (expected a closing '\"')");
          }
          if (line[pos] == '"') {
            if (pos + 1 < line.size() && line[pos + 1] == '"') {
              f.text += '"';
              pos += 2;
              continue;
            }
            ++pos;
            break;
          }
          f.text += line[pos++];
        }
        while (pos < line.size() && isTrim(line[pos])) ++pos;
        if (pos < line.size() && line[pos] != delim_) {
          fail(lineNo, pos + 1, "field " + std::to_string(fields.size() + 1) +
                                    " has text after its closing quote (expected '" +
                                    delimName() + "' or end of line)");
        }
      } else {
        const size_t start = pos;
        while (pos < line.size() && line[pos] != delim_) ++pos;
        size_t end = pos;
        while (end > start && isTrim(line[end - 1])) --end;
        f.text.assign(line.substr(start, end - start));
        if (f.text.empty()) f.column = fieldStart + 1;  // point at the gap, not past the blanks
      }
      fields.push_back(std::move(f));
      if (pos >= line.size()) return fields;
      ++pos;  // delimiter; a line ending in one has a final empty field
    }
  }

  [[noreturn]] void fail(size_t lineNo, size_t column, const std::string& what) const {
    throw FileError(source_ + ":" + std::to_string(lineNo) + ":" + std::to_string(column) + ": " +
                    what);
  }

 private:
  bool isTrim(char c) const { return (c == ' ' || c == '\t') && c != delim_; }
  std::string delimName() const { return delim_ == '\t' ? "\\t" : std::string(1, delim_); }

  const std::string& source_;
  char delim_;
};

enum class NumberStatus { Ok, Empty, NotNumber, NonFinite, OutOfRange };

// std::from_chars, unlike strtod, ignores the C locale: "1.5" parses the same in a German
// session where Qt has called setlocale(LC_ALL, "").
NumberStatus parseNumber(std::string_view s, double& value) {
  if (s.empty()) return NumberStatus::Empty;
  if (s[0] == '+') {
    s.remove_prefix(1);
    if (s.empty() || s[0] == '-' || s[0] == '+') return NumberStatus::NotNumber;
  }
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec == std::errc::result_out_of_range && ptr == s.data() + s.size()) {
    return NumberStatus::OutOfRange;
  }
  if (ec != std::errc() || ptr != s.data() + s.size()) return NumberStatus::NotNumber;
  if (!std::isfinite(value)) return NumberStatus::NonFinite;
  return NumberStatus::Ok;
}

// The separator the first content line uses most, outside quotes; ',' wins ties and is the
// default for single-column files.
char detectDelimiter(std::string_view line) {
  size_t comma = 0, semicolon = 0, tab = 0;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    comma += c == ',';
    semicolon += c == ';';
    tab += c == '\t';
  }
  if (semicolon > comma && semicolon >= tab) return ';';
  if (tab > comma && tab > semicolon) return '\t';
  return ',';
}

std::string_view trimLeft(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

// Splits text into lines ending in "\n", "\r\n" or a lone "\r".
class Lines {
 public:
  explicit Lines(std::string_view text) : text_(text) {}
  bool next(std::string_view& line) {
    if (pos_ >= text_.size()) return false;
    size_t end = pos_;
    while (end < text_.size() && text_[end] != '\n' && text_[end] != '\r') ++end;
    line = text_.substr(pos_, end - pos_);
    pos_ = end;
    if (pos_ < text_.size() && text_[pos_] == '\r') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
    return true;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

CsvTable parseCsvNumbers(std::string_view text, const std::string& sourceName) {
  if (text.substr(0, 3) == kBom) text.remove_prefix(3);  // Excel writes one

  CsvTable table;
  Lines lines(text);
  std::string_view line;
  size_t lineNo = 0;
  size_t columns = 0;
  size_t columnsLine = 0;  // line that fixed the column count, for the mismatch message
  std::optional<LineSplitter> splitter;

  while (lines.next(line)) {
    ++lineNo;
    const std::string_view content = trimLeft(line);
    if (content.empty() || content.front() == '#') continue;

    bool first = false;
    if (!splitter) {
      splitter.emplace(sourceName, detectDelimiter(line));
      first = true;
    }
    std::vector<Field> fields = splitter->split(line, lineNo);

    if (first) {
      columns = fields.size();
      columnsLine = lineNo;
      bool isHeader = false;
      for (const Field& f : fields) {
        double ignored;
        if (parseNumber(f.text, ignored) == NumberStatus::NotNumber) isHeader = true;
      }
      if (isHeader) {
        for (Field& f : fields) table.header.push_back(std::move(f.text));
        continue;
      }
    } else if (fields.size() != columns) {
      splitter->fail(lineNo, 1, std::to_string(fields.size()) +
                                    (fields.size() == 1 ? " field" : " fields") + ", expected " +
                                    std::to_string(columns) + " (as in line " +
                                    std::to_string(columnsLine) + ")");
    }

    std::vector<double> row(fields.size());
    for (size_t i = 0; i < fields.size(); ++i) {
      const std::string what = "field " + std::to_string(i + 1) + " '" + printable(fields[i].text) + "'";
      switch (parseNumber(fields[i].text, row[i])) {
        case NumberStatus::Ok:
          break;
        case NumberStatus::Empty:
          splitter->fail(lineNo, fields[i].column,
                         "field " + std::to_string(i + 1) + " is empty (expected a number)");
        case NumberStatus::NotNumber:
          splitter->fail(lineNo, fields[i].column,
                         what + " is not a number (expected a decimal number such as -1.5e3)");
        case NumberStatus::NonFinite:
          splitter->fail(lineNo, fields[i].column,
                         what + " is not finite (NaN and infinity are not allowed)");
        case NumberStatus::OutOfRange:
          splitter->fail(lineNo, fields[i].column, what + " is out of range for a double");
      }
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

CsvTable readCsvNumbers(const std::string& path) {
  return parseCsvNumbers(readFileBytes(path), path);
}

std::string csvEscape(std::string_view field) {
  const bool needsQuotes =
      field.find_first_of(",;\t\"\r\n") != std::string_view::npos ||
      (!field.empty() && (field.front() == ' ' || field.back() == ' ' || field.front() == '#')) ||
      field.substr(0, 3) == kBom;  // a leading BOM would be stripped on reading
  if (!needsQuotes) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csvRow(const std::vector<std::string>& fields) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) line += ',';
    line += csvEscape(fields[i]);
  }
  return line + "\n";
}

}  // namespace flowscope
