#include "core/train/MetricsLog.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <limits>
#include <sstream>

#include "core/io/AtomicFile.h"
#include "core/io/Csv.h"
#include "core/io/Printable.h"
#include "core/util/Error.h"

namespace flowscope {
namespace {

/// Cells of one line as csvRow writes them: ',' separated, RFC 4180 quotes ("" is a quote).
std::vector<std::string> splitComma(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char ch = line[i];
    if (quoted) {
      if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"') out.back() += line[++i];
      else if (ch == '"') quoted = false;
      else out.back() += ch;
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      out.emplace_back();
    } else {
      out.back() += ch;
    }
  }
  if (line.empty()) out.clear();
  return out;
}

std::string formatValue(double v) {
  if (std::isnan(v)) return "";
  std::ostringstream os;
  os << std::setprecision(9) << v;
  return os.str();
}

}  // namespace

int MetricsTable::columnIndex(const std::string& name) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return static_cast<int>(i);
  return -1;
}

MetricsTable readMetrics(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw FileError(path + ": cannot open metrics file (" + std::strerror(errno) + ")");
  return parseMetrics(in, path);
}

MetricsTable parseMetrics(std::istream& in, const std::string& path) {
  MetricsTable table;
  std::string line;
  int lineNo = 0;
  size_t skipped = 0;
  auto skip = [&](const std::string& why) {
    // A torn last line (the writer was killed mid-row: no newline) is expected, not a warning.
    if (in.eof()) return;
    if (++skipped <= 5) table.warnings.push_back(path + ":" + std::to_string(lineNo) + ": skipped a damaged row (" + why + ")");
  };
  while (std::getline(in, line)) {
    ++lineNo;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> cells = splitComma(line);
    if (table.columns.empty()) {
      table.columns = cells;
      continue;
    }
    if (cells.size() != table.columns.size()) {
      skip(std::to_string(cells.size()) + " cells, expected " + std::to_string(table.columns.size()));
      continue;
    }
    std::vector<double> row(cells.size(), std::numeric_limits<double>::quiet_NaN());
    std::string bad;
    for (size_t i = 0; i < cells.size() && bad.empty(); ++i) {
      if (cells[i].empty()) continue;
      // strtod, not stod: a denormal such as 1.05e-310 sets ERANGE but is the value written.
      char* end = nullptr;
      const double v = std::strtod(cells[i].c_str(), &end);
      if (end != cells[i].c_str() + cells[i].size())
        bad = "cell '" + printableExcerpt(cells[i], 40) + "' in column " + printableExcerpt(table.columns[i], 40) + " is not a number";
      else
        row[i] = v;
    }
    const int stepCol = table.columnIndex("step");
    if (bad.empty() && stepCol >= 0 && !std::isfinite(row[stepCol])) bad = "no step";
    if (!bad.empty()) {
      skip(bad);
      continue;
    }
    table.rows.push_back(std::move(row));
  }
  if (in.bad()) throw FileError(path + ": cannot read metrics file (" + std::strerror(errno) + ")");
  if (skipped > 5)
    table.warnings.push_back(path + ": " + std::to_string(skipped - 5) + " more damaged rows skipped");
  return table;
}

MetricsLog::MetricsLog(std::string path, std::vector<std::string> columns, int64_t keepUpToStep,
                       const Warning& warning)
    : path_(std::move(path)), columns_(std::move(columns)) {
  std::ostringstream kept;
  kept << csvRow(columns_);
  if (keepUpToStep >= 0 && std::filesystem::exists(path_)) {
    MetricsTable old;
    try {
      old = readMetrics(path_);
    } catch (const FileError& e) {
      if (warning) warning(std::string(e.what()) + "; its rows are dropped");
    }
    for (const auto& w : old.warnings)
      if (warning) warning(w);
    const int stepCol = old.columnIndex("step");
    if (stepCol < 0 && !old.columns.empty() && warning)
      warning(path_ + ": has no step column; its rows are dropped");
    for (const auto& row : old.rows) {
      if (stepCol < 0 || !(row[stepCol] <= static_cast<double>(keepUpToStep))) continue;
      std::vector<std::string> cells;
      for (const auto& column : columns_) {
        const int j = old.columnIndex(column);
        cells.push_back(j >= 0 ? formatValue(row[j]) : "");
      }
      kept << csvRow(cells);
    }
  }
  writeFileAtomic(path_, kept.str());
  fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd_ < 0) throw FileError(path_ + ": cannot append to metrics file (" + std::strerror(errno) + ")");
}

MetricsLog::~MetricsLog() {
  if (fd_ >= 0) ::close(fd_);
}

void MetricsLog::append(const std::map<std::string, double>& values) {
  std::vector<std::string> cells;
  for (const auto& column : columns_) {
    auto it = values.find(column);
    cells.push_back(it != values.end() ? formatValue(it->second) : "");
  }
  const std::string row = csvRow(cells);
  const char* data = row.data();
  size_t left = row.size();
  while (left > 0) {
    const ssize_t n = ::write(fd_, data, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const auto step = values.find("step");
      throw FileError(path_ + ": cannot append the row of step " +
                      (step != values.end() ? formatValue(step->second) : std::string("?")) +
                      " to the metrics file (" + std::strerror(errno) + ")");
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace flowscope
