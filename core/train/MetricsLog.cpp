#include "core/train/MetricsLog.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <iomanip>
#include <limits>
#include <sstream>

#include "core/io/AtomicFile.h"
#include "core/io/Csv.h"
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
  MetricsTable table;
  std::string line;
  int lineNo = 0;
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
      // A torn last line (the writer was killed mid-row) is skipped, not fatal.
      if (in.peek() == EOF) break;
      throw FileError(path + ":" + std::to_string(lineNo) + ": " + std::to_string(cells.size()) +
                      " cells (expected " + std::to_string(table.columns.size()) + ")");
    }
    std::vector<double> row(cells.size(), std::numeric_limits<double>::quiet_NaN());
    for (size_t i = 0; i < cells.size(); ++i) {
      if (cells[i].empty()) continue;
      size_t used = 0;
      try {
        row[i] = std::stod(cells[i], &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != cells[i].size())
        throw FileError(path + ":" + std::to_string(lineNo) + ": cell '" + cells[i] +
                        "' in column " + table.columns[i] + " is not a number");
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

MetricsLog::MetricsLog(std::string path, std::vector<std::string> columns, int64_t keepUpToStep)
    : path_(std::move(path)), columns_(std::move(columns)) {
  std::ostringstream kept;
  kept << csvRow(columns_);
  if (keepUpToStep >= 0 && std::filesystem::exists(path_)) {
    const MetricsTable old = readMetrics(path_);
    const int stepCol = old.columnIndex("step");
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
  out_.open(path_, std::ios::app);
  if (!out_) throw FileError(path_ + ": cannot append to metrics file (" + std::strerror(errno) + ")");
}

void MetricsLog::append(const std::map<std::string, double>& values) {
  std::vector<std::string> cells;
  for (const auto& column : columns_) {
    auto it = values.find(column);
    cells.push_back(it != values.end() ? formatValue(it->second) : "");
  }
  out_ << csvRow(cells);
  out_.flush();
}

}  // namespace flowscope
