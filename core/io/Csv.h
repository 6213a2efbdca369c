#pragma once
// Numeric CSV: point clouds and metric tables exchanged with spreadsheets and pandas.
//
// Accepted: ',' separated fields (';' or tab when the first row uses them instead), an optional
// header row, blank lines and '#' comment lines, surrounding whitespace, CRLF line ends, a UTF-8
// byte-order mark, and RFC 4180 quotes within a line. Every value must be a finite decimal
// number; numbers are parsed independently of the C locale (Qt sets it from the environment).

#include <string>
#include <string_view>
#include <vector>

namespace flowscope {

struct CsvTable {
  std::vector<std::string> header;         // empty when the file has no header row
  std::vector<std::vector<double>> rows;   // all rows have the same number of columns
};

/// Parses numeric CSV text. The first non-blank, non-comment line is a header when any of its
/// fields is non-empty and not a number. Throws FileError "source:line: ..." naming the field
/// for a non-numeric, empty or non-finite value, a wrong column count or a stray quote.
/// An input with no rows gives an empty table (the caller decides whether that is an error).
CsvTable parseCsvNumbers(std::string_view text, const std::string& sourceName);

/// Reads and parses a CSV file. Throws FileError naming `path`.
CsvTable readCsvNumbers(const std::string& path);

/// Quotes a field for CSV output when it contains a separator (',', ';', tab), a quote, a line
/// break, surrounding spaces, a leading '#' or a leading byte-order mark, doubling inner quotes;
/// otherwise returns it unchanged.
std::string csvEscape(std::string_view field);

/// One CSV line of `fields`, each through csvEscape, joined by ',' and ended by '\n': the one
/// way the engine and the CLI write CSV rows.
std::string csvRow(const std::vector<std::string>& fields);

}  // namespace flowscope
