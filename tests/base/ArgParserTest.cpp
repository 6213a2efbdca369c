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
