// The layering of docs/design.md: every #include "..." under src/ and
// include/diviml/ goes to the same layer or one below, never above.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
const std::string kRoot = std::string(DIVIML_TEST_DATA) + "/../..";

// rank per layer, read from the table in docs/design.md ("| 3 | core | ...").
std::map<std::string, int> LayerTable() {
  std::ifstream f(kRoot + "/docs/design.md");
  std::map<std::string, int> rank;
  std::string line;
  const std::regex row(R"(^\| (\d+) \| ([a-z]+) \|)");
  std::smatch m;
  while (std::getline(f, line))
    if (std::regex_search(line, m, row)) rank[m[2]] = std::stoi(m[1]);
  return rank;
}

// "src/solve/split/x.cc" -> "solve"; "include/diviml/core/plan.h" -> "core".
std::string LayerOfPath(const fs::path& rel) {
  auto it = rel.begin();
  if (*it == "include") ++it;  // include/diviml/<layer>/...
  ++it;                        // src/<layer>/... or diviml/<layer>/...
  return it == rel.end() ? "" : it->string();
}

// The layer an include names, or "" for third-party / same-folder headers.
std::string LayerOfInclude(const std::string& inc, const std::map<std::string, int>& rank) {
  fs::path p(inc);
  auto it = p.begin();
  if (it == p.end()) return "";
  if (*it == "diviml") ++it;
  else if (std::distance(p.begin(), p.end()) < 2) return "";  // "const_eval.h"
  return it != p.end() && rank.count(it->string()) ? it->string() : "";
}

struct Upward {
  std::string file, include;
};

std::vector<Upward> FindUpward(const std::map<std::string, int>& rank, int* files, std::vector<std::string>* unknown) {
  std::vector<Upward> bad;
  const std::regex inc_re(R"(#include\s+"([^"]+)\")");
  for (const char* top : {"src", "include"}) {
    for (const auto& e : fs::recursive_directory_iterator(kRoot + "/" + top)) {
      if (!e.is_regular_file()) continue;
      const std::string ext = e.path().extension().string();
      if (ext != ".cc" && ext != ".h") continue;
      const fs::path rel = fs::relative(e.path(), kRoot);
      const std::string layer = LayerOfPath(rel);
      if (!rank.count(layer)) {
        unknown->push_back(rel.string());
        continue;
      }
      ++*files;
      std::ifstream f(e.path());
      std::stringstream ss;
      ss << f.rdbuf();
      const std::string text = ss.str();
      for (std::sregex_iterator it(text.begin(), text.end(), inc_re), end; it != end; ++it) {
        const std::string inc = (*it)[1];
        const std::string to = LayerOfInclude(inc, rank);
        if (!to.empty() && rank.at(to) > rank.at(layer)) bad.push_back({rel.string(), inc});
      }
    }
  }
  return bad;
}

TEST(Architecture, LayerTableIsDocumented) {
  const auto rank = LayerTable();
  for (const char* l : {"util", "graph", "platform", "cost", "gen", "core", "io", "milp", "bound", "solve",
                        "pipeline", "export", "cli"})
    EXPECT_TRUE(rank.count(l)) << l << " missing from docs/design.md";
  EXPECT_LT(rank.at("milp"), rank.at("bound"));
  EXPECT_LT(rank.at("bound"), rank.at("solve"));
  EXPECT_LT(rank.at("solve"), rank.at("pipeline"));
  EXPECT_LT(rank.at("pipeline"), rank.at("cli"));
}

TEST(Architecture, NoIncludeRunsUpward) {
  const auto rank = LayerTable();
  int files = 0;
  std::vector<std::string> unknown;
  const std::vector<Upward> bad = FindUpward(rank, &files, &unknown);
  EXPECT_GT(files, 100);
  for (const auto& u : unknown) ADD_FAILURE() << u << " is in no layer of docs/design.md";
  for (const auto& b : bad) ADD_FAILURE() << b.file << " includes " << b.include << " (a higher layer)";
}

// The checker itself catches an upward include (a file planted in a copy
// of the rule: core including the pipeline).
TEST(Architecture, CheckerCatchesAnUpwardInclude) {
  const auto rank = LayerTable();
  EXPECT_EQ(LayerOfPath("src/core/evaluate.cc"), "core");
  EXPECT_EQ(LayerOfPath("include/diviml/solve/split.h"), "solve");
  EXPECT_EQ(LayerOfInclude("diviml/pipeline/pipeline.h", rank), "pipeline");
  EXPECT_EQ(LayerOfInclude("milp/backend.h", rank), "milp");
  EXPECT_EQ(LayerOfInclude("const_eval.h", rank), "");
  EXPECT_EQ(LayerOfInclude("nlohmann/json.hpp", rank), "");
  EXPECT_GT(rank.at(LayerOfInclude("diviml/pipeline/pipeline.h", rank)), rank.at(LayerOfPath("src/core/x.cc")));
}

}  // namespace
