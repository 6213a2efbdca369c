// Tests for core/io/Csv: the accepted dialect, "file:line:column" errors naming the bad field,
// locale independence, and csvEscape round trips through the parser.

#include "core/io/Csv.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <clocale>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/eval/SweepSpec.h"
#include "core/util/Error.h"

namespace fs = std::filesystem;
using flowscope::csvEscape;
using flowscope::CsvTable;
using flowscope::FileError;
using flowscope::parseCsvNumbers;
using flowscope::readCsvNumbers;

namespace {

using Rows = std::vector<std::vector<double>>;
using Names = std::vector<std::string>;

#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

// The FileError message for `text`, or a test failure if it parses.
std::string csvError(const std::string& text, const std::string& source = "data.csv") {
  try {
    parseCsvNumbers(text, source);
  } catch (const FileError& e) {
    return e.what();
  }
  ADD_FAILURE() << "parseCsvNumbers accepted: " << text;
  return {};
}

TEST(CsvParse, HeaderRowsCommentsAndBlankLines) {
  const CsvTable t = parseCsvNumbers(
      "# exported by test\n"
      "x, y\n"
      "\n"
      "  1.5 ,  -2\n"
      "   # indented comment\n"
      "3,4e2\n",
      "pts.csv");
  EXPECT_EQ(t.header, (Names{"x", "y"}));
  EXPECT_EQ(t.rows, (Rows{{1.5, -2}, {3, 400}}));
}

TEST(CsvParse, WithoutHeader) {
  const CsvTable t = parseCsvNumbers("1,2,3\n4,5,6", "a.csv");  // no final newline
  EXPECT_TRUE(t.header.empty());
  EXPECT_EQ(t.rows, (Rows{{1, 2, 3}, {4, 5, 6}}));
}

TEST(CsvParse, LineEndingsAndByteOrderMark) {
  EXPECT_EQ(parseCsvNumbers("a,b\r\n1,2\r\n3,4\r\n", "x").rows, (Rows{{1, 2}, {3, 4}}));
  EXPECT_EQ(parseCsvNumbers("1,2\r3,4\r", "x").rows, (Rows{{1, 2}, {3, 4}}));
  const CsvTable bom = parseCsvNumbers("\xEF\xBB\xBFx,y\n1,2\n", "x");
  EXPECT_EQ(bom.header, (Names{"x", "y"}));
  EXPECT_EQ(bom.rows, (Rows{{1, 2}}));
}

TEST(CsvParse, DecimalForms) {
  const CsvTable t = parseCsvNumbers("+1,-2.5e-3,.5,5.,1E3,-0,1e-300\n", "x.csv");
  EXPECT_EQ(t.rows, (Rows{{1, -2.5e-3, 0.5, 5, 1000, 0, 1e-300}}));
}

TEST(CsvParse, SemicolonAndTabSeparators) {
  EXPECT_EQ(parseCsvNumbers("x;y\n1.5;2\n3;4\n", "x").rows, (Rows{{1.5, 2}, {3, 4}}));
  const CsvTable tab = parseCsvNumbers("x\ty\n1\t2\n 3 \t 4 \n", "x");
  EXPECT_EQ(tab.header, (Names{"x", "y"}));
  EXPECT_EQ(tab.rows, (Rows{{1, 2}, {3, 4}}));
  // A separator is fixed by the first row: a later comma is not a separator.
  EXPECT_CONTAINS(csvError("1;2\n3,4;5\n"), "data.csv:2:1: field 1 '3,4' is not a number");
}

TEST(CsvParse, SingleColumn) {
  const CsvTable t = parseCsvNumbers("loss\n0.5\n0.25\n", "x");
  EXPECT_EQ(t.header, (Names{"loss"}));
  EXPECT_EQ(t.rows, (Rows{{0.5}, {0.25}}));
}

TEST(CsvParse, QuotedFields) {
  const CsvTable t = parseCsvNumbers("\"x, m\",\"say \"\"hi\"\"\", plain \n\"1\", 2 ,3\n", "q.csv");
  EXPECT_EQ(t.header, (Names{"x, m", "say \"hi\"", "plain"}));
  EXPECT_EQ(t.rows, (Rows{{1, 2, 3}}));
}

TEST(CsvParse, HeaderDetectionIgnoresEmptyFields) {
  // pandas writes an unnamed index column as an empty header field.
  const CsvTable t = parseCsvNumbers(",x\n0,1.5\n", "x");
  EXPECT_EQ(t.header, (Names{"", "x"}));
  EXPECT_EQ(t.rows, (Rows{{0, 1.5}}));
  EXPECT_CONTAINS(csvError(",1\n"), "data.csv:1:1: field 1 is empty");
}

TEST(CsvParse, EmptyAndHeaderOnlyInputs) {
  EXPECT_TRUE(parseCsvNumbers("", "x").rows.empty());
  EXPECT_TRUE(parseCsvNumbers("\n# only a comment\n\n", "x").rows.empty());
  const CsvTable t = parseCsvNumbers("a,b\n", "x");
  EXPECT_EQ(t.header, (Names{"a", "b"}));
  EXPECT_TRUE(t.rows.empty());
}

TEST(CsvParse, IndependentOfTheCLocale) {
  // Qt calls setlocale(LC_ALL, ""); with a comma-decimal locale strtod would misread "1.5".
  const char* candidates[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "ru_RU.UTF-8"};
  const std::string old = std::setlocale(LC_NUMERIC, nullptr);
  const char* found = nullptr;
  for (const char* name : candidates) {
    if (std::setlocale(LC_NUMERIC, name) != nullptr) {
      found = name;
      break;
    }
  }
  const CsvTable t = parseCsvNumbers("1.5,2.25\n", "x");
  std::setlocale(LC_NUMERIC, old.c_str());
  EXPECT_EQ(t.rows, (Rows{{1.5, 2.25}}));
  if (found == nullptr) GTEST_SKIP() << "no comma-decimal locale installed";
}

// ---- errors ----------------------------------------------------------------------------------

TEST(CsvErrors, NonNumberNamesLineColumnAndField) {
  const std::string msg = csvError("x,y\n1,2\n\n# c\n3, abc\n");
  EXPECT_EQ(msg.rfind("data.csv:5:4: field 2 'abc' is not a number", 0), 0u) << msg;
}

TEST(CsvErrors, NonFiniteValuesAreRejected) {
  for (const char* bad : {"nan", "NaN", "inf", "-inf", "Infinity"}) {
    const std::string msg = csvError(std::string("1,") + bad + "\n");
    EXPECT_CONTAINS(msg, "data.csv:1:3: field 2 '" + std::string(bad) + "' is not finite");
    EXPECT_CONTAINS(msg, "NaN and infinity are not allowed");
  }
}

TEST(CsvErrors, OutOfRangeAndMalformedNumbers) {
  EXPECT_CONTAINS(csvError("1\n1e999\n"), "data.csv:2:1: field 1 '1e999' is out of range");
  for (const char* bad : {"1.5.2", "--1", "+-1", "+", "1e", "0x10", "1,5e", "1 2", "1_000"}) {
    EXPECT_CONTAINS(csvError(std::string("0\n") + bad + "\n"), "data.csv:2:");
  }
}

TEST(CsvErrors, ColumnCountMismatch) {
  EXPECT_CONTAINS(csvError("a,b\n1,2\n3\n"), "data.csv:3:1: 1 field, expected 2 (as in line 1)");
  EXPECT_CONTAINS(csvError("1,2\n3,4,5\n"), "data.csv:2:1: 3 fields, expected 2 (as in line 1)");
  EXPECT_CONTAINS(csvError("1,2\n3,4,\n"), "3 fields, expected 2");
}

TEST(CsvErrors, EmptyField) {
  EXPECT_CONTAINS(csvError("1,2\n3,\t\n"), "data.csv:2:3: field 2 is empty (expected a number)");
}

TEST(CsvErrors, BadQuotes) {
  EXPECT_CONTAINS(csvError("\"x,y\n1,2\n"), "data.csv:1:1: field 1 has an unterminated quote");
  EXPECT_CONTAINS(csvError("\"x\"y,z\n"), "data.csv:1:4: field 1 has text after its closing quote");
}

TEST(CsvErrors, HostileBytesAreEscapedAndTruncated) {
  const std::string msg = csvError("1\n\x01\xff" + std::string(100, 'z') + "\n");
  EXPECT_CONTAINS(msg, "'\\x01\\xffzzz");
  EXPECT_CONTAINS(msg, "...'");
  EXPECT_LT(msg.size(), 200u);
}

// ---- files and escaping ----------------------------------------------------------------------

TEST(CsvFile, ReadsFileAndNamesPathInErrors) {
  const fs::path dir = fs::temp_directory_path() /
                       ("flowscope-CsvFile-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string good = (dir / "good.csv").string();
  const std::string bad = (dir / "bad.csv").string();
  std::ofstream(good) << "x,y\n1,2\n";
  std::ofstream(bad) << "x,y\n1,oops\n";
  const CsvTable t = readCsvNumbers(good);
  EXPECT_EQ(t.rows, (Rows{{1, 2}}));
  try {
    readCsvNumbers(bad);
    ADD_FAILURE() << "expected FileError";
  } catch (const FileError& e) {
    EXPECT_CONTAINS(e.what(), bad + ":2:3: field 2 'oops' is not a number");
  }
  try {
    readCsvNumbers((dir / "absent.csv").string());
    ADD_FAILURE() << "expected FileError";
  } catch (const FileError& e) {
    EXPECT_CONTAINS(e.what(), (dir / "absent.csv").string());
    EXPECT_CONTAINS(e.what(), "No such file or directory");
  }
  fs::remove_all(dir);
}

TEST(CsvEscape, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(csvEscape("loss"), "loss");
  EXPECT_EQ(csvEscape(""), "");
  EXPECT_EQ(csvEscape("a,b"), "\"a,b\"");
  EXPECT_EQ(csvEscape("a;b"), "\"a;b\"");
  EXPECT_EQ(csvEscape("a\tb"), "\"a\tb\"");
  EXPECT_EQ(csvEscape("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csvEscape(" padded"), "\" padded\"");
  EXPECT_EQ(csvEscape("#not a comment"), "\"#not a comment\"");
  EXPECT_EQ(csvEscape("line\nbreak"), "\"line\nbreak\"");
  EXPECT_EQ(csvEscape("\xEF\xBB\xBFx"), "\"\xEF\xBB\xBFx\"");  // else read as a byte-order mark
}

TEST(CsvEscape, RoundTripsThroughTheParser) {
  const Names names = {"\xEF\xBB\xBF" "bom", "plain",  "with,comma", "semi;colon",
                       "q\"uote",           " space ", "#hash",      "tab\there"};
  std::string text;
  for (size_t i = 0; i < names.size(); ++i) text += (i ? "," : "") + csvEscape(names[i]);
  text += "\n";
  for (size_t i = 0; i < names.size(); ++i) text += (i ? "," : "") + std::to_string(i);
  text += "\n";
  const CsvTable t = parseCsvNumbers(text, "rt.csv");
  EXPECT_EQ(t.header, names);
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].size(), names.size());
}

TEST(CsvRow, EscapesEveryFieldAndReadsBack) {
  const Names names = {"step", "a,b", "q\"uote", " pad"};
  EXPECT_EQ(flowscope::csvRow(names), "step,\"a,b\",\"q\"\"uote\",\" pad\"\n");
  const std::string text = flowscope::csvRow(names) + flowscope::csvRow({"1", "2", "3", "4"});
  const CsvTable t = parseCsvNumbers(text, "row.csv");
  EXPECT_EQ(t.header, names);
  EXPECT_EQ(t.rows.at(0), (std::vector<double>{1, 2, 3, 4}));
}

// The sweep CSV of the CLI: run names are user text (config.name) and must not shift columns.
TEST(CsvRow, SweepCsvQuotesRunNames) {
  flowscope::SweepResult r;
  flowscope::SweepRow row;
  row.solver = "euler";
  row.steps = 4;
  row.nfe = 4;
  row.metrics["sliced_w2"] = 0.5;
  r.rows.push_back(row);
  const std::string csv = flowscope::sweepCsv({{"ot, \"fast\"", r}, {"plain", r}});
  EXPECT_NE(csv.find("\n\"ot, \"\"fast\"\"\",euler,4,0,4,0,0,0.5\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\nplain,euler,4,"), std::string::npos) << csv;
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "run,solver,steps,tolerance,nfe,numerical_error,wall_ms,sliced_w2");
}

}  // namespace
