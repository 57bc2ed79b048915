// Fuzz targets (issue 15): one per reader of untrusted input. Each takes
// arbitrary bytes and must either accept them or throw InputError (the one
// bad-input exception, include/diviml/util/error.h); any other exception,
// crash, sanitizer report or leak is a bug. Built two ways:
//  - with clang and libFuzzer, one executable per target
//    (fuzz/libfuzzer_main.cc, `make fuzz`, README "Reliability");
//  - into the test suite (tests/fuzz_replay_test.cc), which replays every
//    target's seeds (tests/data, zoo/, tests/fuzz/) and deterministic
//    mutations of them in every build, the ASan one included.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace diviml::fuzz {

struct Target {
  const char* name;                       // "graph_json", ...
  void (*run)(std::string_view data);     // throws InputError on bad input
  std::vector<std::string> seed_globs;    // "DIR/*.EXT", relative to the source root
};

// Every target; O(1).
const std::vector<Target>& Targets();
const Target* FindTarget(std::string_view name);

}  // namespace diviml::fuzz
