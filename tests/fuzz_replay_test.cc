// Replays every fuzz target (fuzz/targets.h) on its seeds and on
// deterministic mutations of them (truncations, byte flips, inserted and
// deleted bytes, spliced seeds): each input must be accepted or rejected
// with InputError. Runs in every build, so the sanitizer build (make
// test-asan) checks the readers' memory safety on these inputs too; the
// long campaigns are libFuzzer's (make fuzz). Regression inputs found by
// fuzzing go to tests/fuzz/<target>/ and are replayed here.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../fuzz/targets.h"
#include "util/splitmix64.h"
#include "diviml/util/error.h"

namespace diviml {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> Seeds(const fuzz::Target& t) {
  std::vector<std::string> out;
  for (const std::string& glob : t.seed_globs) {
    const fs::path p = fs::path(DIVIML_SOURCE_DIR) / glob;
    const fs::path dir = p.parent_path();
    const std::string pat = p.filename().string();  // "*", "*.EXT", "PREFIX*.EXT" or a name
    if (!fs::is_directory(dir)) continue;
    const size_t star = pat.find('*');
    for (const auto& e : fs::directory_iterator(dir)) {
      if (!e.is_regular_file()) continue;
      const std::string name = e.path().filename().string();
      bool match = star == std::string::npos
                       ? name == pat
                       : name.size() >= pat.size() - 1 && name.compare(0, star, pat, 0, star) == 0 &&
                             name.compare(name.size() - (pat.size() - star - 1), std::string::npos, pat,
                                          star + 1) == 0;
      if (!match) continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      out.push_back(ss.str());
    }
  }
  return out;
}

// SplitMix64: the same mutations on every platform.
using Rng = SplitMix64;

std::string Mutate(const std::string& a, const std::string& b, Rng& rng) {
  std::string s = a;
  const int edits = 1 + static_cast<int>(rng.Next() % 4);
  static const char kTokens[][8] = {"{", "}", "[", "]", "\"", ",", ":", "-1", "1e308", "nan", "null", "0", "\n", "#"};
  for (int k = 0; k < edits; ++k) {
    const size_t pos = s.empty() ? 0 : rng.Next() % (s.size() + 1);
    switch (rng.Next() % 6) {
      case 0: s.resize(pos); break;
      case 1: if (pos < s.size()) s[pos] = static_cast<char>(rng.Next()); break;
      case 2: s.insert(pos, kTokens[rng.Next() % std::size(kTokens)]); break;
      case 3: if (pos < s.size()) s.erase(pos, 1 + rng.Next() % 8); break;
      case 4: s = s.substr(0, pos) + b.substr(b.empty() ? 0 : rng.Next() % b.size()); break;
      default: if (pos < s.size()) s[pos] = static_cast<char>(s[pos] ^ (1 << (rng.Next() % 8))); break;
    }
  }
  return s;
}

TEST(FuzzReplay, EveryTargetAcceptsOrRejectsItsInputs) {
  const int kMutations = 300;  // per seed
  for (const fuzz::Target& t : fuzz::Targets()) {
    const std::vector<std::string> seeds = Seeds(t);
    ASSERT_FALSE(seeds.empty()) << t.name << ": no seeds";
    Rng rng{0x15};
    int runs = 0, rejected = 0;
    auto run = [&](const std::string& input, const std::string& what) {
      ++runs;
      try {
        t.run(input);
      } catch (const InputError&) {
        ++rejected;
      } catch (const std::exception& e) {
        ADD_FAILURE() << t.name << ": " << what << " threw a non-InputError: " << e.what();
      }
    };
    for (size_t i = 0; i < seeds.size(); ++i) {
      run(seeds[i], "seed " + std::to_string(i));
      // ONNX imports are slow (shape inference): fewer mutations.
      const int mutations = std::string(t.name) == "onnx" ? 30 : kMutations;
      for (int k = 0; k < mutations; ++k)
        run(Mutate(seeds[i], seeds[(i + 1) % seeds.size()], rng), "mutation " + std::to_string(k) +
                                                                      " of seed " + std::to_string(i));
    }
    // Most mutations are rejected, some accepted: the target really parses.
    EXPECT_GT(rejected, 0) << t.name;
    EXPECT_LT(rejected, runs) << t.name;
  }
}

}  // namespace
}  // namespace diviml
