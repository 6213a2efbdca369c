#pragma once
// metrics.csv of a run: a header of column names, then one row per logged step. Empty cells are
// metrics not measured at that step (evaluations run less often than loss logging).

#include <cstdint>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace flowscope {

struct MetricsTable {
  std::vector<std::string> columns;
  std::vector<std::vector<double>> rows;  ///< NaN for empty cells
  int columnIndex(const std::string& name) const;  ///< -1 when absent
};

/// Reads metrics.csv; throws FileError naming the file and line on malformed content.
MetricsTable readMetrics(const std::string& path);

class MetricsLog {
 public:
  /// Opens `path` for appending rows with `columns` (the first must be "step"). Existing rows with
  /// step <= keepUpToStep are kept (a resumed run), later ones dropped; keepUpToStep < 0 starts
  /// a new file. Throws FileError.
  MetricsLog(std::string path, std::vector<std::string> columns, int64_t keepUpToStep);

  /// Appends one row; missing columns stay empty. Flushed immediately so readers see it.
  void append(const std::map<std::string, double>& values);

  const std::vector<std::string>& columns() const { return columns_; }

 private:
  std::string path_;
  std::vector<std::string> columns_;
  std::ofstream out_;
};

}  // namespace flowscope
