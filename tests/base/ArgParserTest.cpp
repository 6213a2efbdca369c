// Command-line parsing: values, flags, repeats, typed getters and errors that name the argument.

#include <gtest/gtest.h>

#include "core/util/ArgParser.h"

using namespace flowscope;

namespace {

ArgParser makeParser() {
  ArgParser p("prog --n N [--set K=V]...", "test parser");
  p.option("n", "N", "count", "", true)
      .option("solver", "NAME", "solver", "dopri5")
      .option("times", "LIST", "times")
      .repeated("set", "K=V", "override")
      .flag("no-ema", "raw weights");
  return p;
}

std::string usageError(const std::vector<std::string>& args) {
  try {
    makeParser().parse(args);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(ArgParser, ParsesValuesFlagsDefaultsAndRepeats) {
  const ParsedArgs a =
      makeParser().parse({"--n", "10", "--set", "a=1", "--set=b=2", "--no-ema", "--times=0,0.5,1"});
  EXPECT_EQ(a.getInt("n"), 10);
  EXPECT_EQ(a.get("solver"), "dopri5");
  EXPECT_TRUE(a.has("no-ema"));
  EXPECT_EQ(a.getAll("set"), (std::vector<std::string>{"a=1", "b=2"}));
  EXPECT_EQ(a.getDoubleList("times"), (std::vector<double>{0, 0.5, 1}));
  const ParsedArgs b = makeParser().parse({"--n", "-3", "--solver", "rk4"});
  EXPECT_EQ(b.getInt("n"), -3);  // a value may look like a negative number
  EXPECT_EQ(b.get("solver"), "rk4");
  EXPECT_FALSE(b.has("no-ema"));
  EXPECT_FALSE(b.has("times"));
}

TEST(ArgParser, ErrorsNameTheArgument) {
  EXPECT_NE(usageError({}).find("--n is required"), std::string::npos);
  EXPECT_NE(usageError({"--n"}).find("--n needs a value"), std::string::npos);
  EXPECT_NE(usageError({"--n", "1", "--solvr", "x"}).find("did you mean --solver"), std::string::npos);
  EXPECT_NE(usageError({"--n", "1", "--n", "2"}).find("more than once"), std::string::npos);
  EXPECT_NE(usageError({"--n", "1", "extra"}).find("unexpected argument 'extra'"), std::string::npos);
  EXPECT_NE(usageError({"--n", "1", "--no-ema=yes"}).find("takes no value"), std::string::npos);
  EXPECT_NE(usageError({"--n", "1", "-x"}).find("unknown option '-x'"), std::string::npos);
}

TEST(ArgParser, TypedGettersRejectGarbage) {
  const ParsedArgs a = makeParser().parse({"--n", "10x", "--times", "0,,1", "--solver", "1e400"});
  EXPECT_THROW(a.getInt("n"), UsageError);
  EXPECT_THROW(a.getDoubleList("times"), UsageError);
  EXPECT_THROW(a.getDouble("solver"), UsageError);  // out of range: not finite
  try {
    a.getInt("n");
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--n: got '10x' (expected an integer)"), std::string::npos);
  }
}

TEST(ArgParser, HelpIsAlwaysAcceptedAndListsOptions) {
  const ParsedArgs a = makeParser().parse({"--help"});  // no --n required with --help
  EXPECT_TRUE(a.has("help"));
  const std::string help = makeParser().help();
  EXPECT_NE(help.find("--solver NAME"), std::string::npos);
  EXPECT_NE(help.find("(default: dopri5)"), std::string::npos);
  EXPECT_NE(help.find("(repeatable)"), std::string::npos);
}

// --- typed, ranged options (issue 10, items 15 and 16) ----------------------------------------

namespace {

ArgParser typedParser() {
  ArgParser p("prog", "typed options");
  p.integer("steps", "K", "steps", ValueRange::closed(1, 1e6), "100")
      .integer("threads", "T", "threads", ValueRange::closed(0, 1024), "0")
      .number("atol", "A", "tolerance", ValueRange::closed(1e-12, 1))
      .integerList("list", "L", "counts", ValueRange::closed(1, 64))
      .numberList("times", "T", "times", ValueRange::closed(0, 1))
      .choice("solver", "NAME", "solver", {"euler", "rk4"}, "", [](const std::string& v) { return v == "x:1"; }, "x:N")
      .option("out", "DIR", "output");
  return p;
}

std::string typedError(const std::vector<std::string>& args) {
  try {
    typedParser().parse(args);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(ArgParser, IntegersOutsideTheirRangeAreRejectedWhenParsing) {
  // 4294967297 used to be cast to int and run 1 step.
  EXPECT_EQ(typedError({"--steps", "4294967297"}),
            "--steps: got '4294967297' (expected an integer in [1, 1000000])");
  EXPECT_EQ(typedError({"--steps", "99999999999999999999"}),
            "--steps: got '99999999999999999999' (expected an integer in [1, 1000000])");
  EXPECT_EQ(typedError({"--steps", "0"}), "--steps: got '0' (expected an integer in [1, 1000000])");
  EXPECT_EQ(typedError({"--steps", "2.5"}), "--steps: got '2.5' (expected an integer in [1, 1000000])");
  // A negative thread count is not "all cores", and 4096 threads thrash.
  EXPECT_NE(typedError({"--threads", "-1"}).find("expected an integer in [0, 1024]"), std::string::npos);
  EXPECT_NE(typedError({"--threads", "4096"}).find("expected an integer in [0, 1024]"), std::string::npos);
  const ParsedArgs a = typedParser().parse({"--steps=1000000", "--threads", "+8"});
  EXPECT_EQ(a.getInt("steps"), 1000000);
  EXPECT_EQ(a.getInt("threads"), 8);
}

TEST(ArgParser, NumbersListsAndChoicesSayWhatIsExpected) {
  EXPECT_EQ(typedError({"--atol", "1e-300"}), "--atol: got '1e-300' (expected a number in [1e-12, 1])");
  EXPECT_EQ(typedError({"--atol", "1e999"}), "--atol: got '1e999' (expected a number in [1e-12, 1])");
  EXPECT_EQ(typedError({"--list", "1,2,65"}), "--list: got '65' (expected an integer in [1, 64])");
  EXPECT_EQ(typedError({"--times", "0,1.5"}), "--times: got '1.5' (expected a number in [0, 1])");
  EXPECT_EQ(typedError({"--solver", "rk45"}), "--solver: got 'rk45' (expected one of: euler, rk4, or x:N)");
  const ParsedArgs a = typedParser().parse({"--solver", "x:1", "--list", "1,64", "--times", "0,0.5,1"});
  EXPECT_EQ(a.get("solver"), "x:1");
  EXPECT_EQ(a.getIntList("list"), (std::vector<int64_t>{1, 64}));
  EXPECT_EQ(a.getDoubleList("times"), (std::vector<double>{0, 0.5, 1}));
}

TEST(ArgParser, EmptyValuesAreRejected) {
  // `train --out ''` used to write a whole run into the current directory.
  EXPECT_EQ(typedError({"--out", ""}), "--out: got an empty value (expected DIR)");
  EXPECT_EQ(typedError({"--out="}), "--out: got an empty value (expected DIR)");
  EXPECT_NE(typedError({"--steps", ""}).find("expected an integer in [1, 1000000]"), std::string::npos);
}

TEST(ArgParser, HelpShowsRangesChoicesAndTheEpilog) {
  ArgParser p = typedParser();
  p.epilog("datasets (data.name):\n  checkerboard  ...\n");
  const std::string help = p.help();
  EXPECT_NE(help.find("--steps K"), std::string::npos);
  EXPECT_NE(help.find("(an integer in [1, 1000000]) (default: 100)"), std::string::npos) << help;
  EXPECT_NE(help.find("(one of: euler, rk4, or x:N)"), std::string::npos) << help;
  EXPECT_NE(help.find("\ndatasets (data.name):\n  checkerboard"), std::string::npos) << help;
}
