#pragma once
// metrics.csv of a run: a header of column names, then one row per logged step. Empty cells are
// metrics not measured at that step (evaluations run less often than loss logging). The log
// never decides whether a run can continue: the reader skips what it cannot read (with a
// warning), and the writer fails loudly rather than dropping rows.

#include <cstdint>
#include <functional>
#include <istream>
#include <map>
#include <string>
#include <vector>

namespace flowscope {

struct MetricsTable {
  std::vector<std::string> columns;
  std::vector<std::vector<double>> rows;  ///< NaN for empty cells
  /// Damaged lines that were skipped ("metrics.csv:12: ..."); a torn last line is not one.
  std::vector<std::string> warnings;
  int columnIndex(const std::string& name) const;  ///< -1 when absent
};

/// Reads metrics.csv, skipping damaged lines (listed in `warnings`). Any number strtod reads is
/// accepted, denormals and infinities included. Throws FileError only when the file cannot be
/// read at all.
MetricsTable readMetrics(const std::string& path);
/// The same from a stream; `path` names it in warnings and errors (the fuzz harness's entry).
MetricsTable parseMetrics(std::istream& in, const std::string& path);

class MetricsLog {
 public:
  using Warning = std::function<void(const std::string&)>;

  /// Opens `path` for appending rows with `columns` (the first must be "step"). Existing rows with
  /// step <= keepUpToStep are kept (a resumed run), later ones dropped; keepUpToStep < 0 starts
  /// a new file. Rows it cannot read are dropped and reported to `warning`. Throws FileError.
  MetricsLog(std::string path, std::vector<std::string> columns, int64_t keepUpToStep,
             const Warning& warning = {});
  ~MetricsLog();
  MetricsLog(const MetricsLog&) = delete;
  MetricsLog& operator=(const MetricsLog&) = delete;

  /// Appends one row; missing columns stay empty. Written at once (one write call) so readers
  /// see it. Throws FileError naming the file and the OS error when the write fails (a full
  /// disk, an I/O error): training must stop instead of losing its log.
  void append(const std::map<std::string, double>& values);

  const std::vector<std::string>& columns() const { return columns_; }

 private:
  std::string path_;
  std::vector<std::string> columns_;
  int fd_ = -1;
};

}  // namespace flowscope
