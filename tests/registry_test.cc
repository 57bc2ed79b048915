// The typed solver registry: records, parameter checks, defaults equal to
// the option structs' defaults, and `diviml solvers --json`.
#include <gtest/gtest.h>

#include <sstream>

#include <nlohmann/json.hpp>

#include "diviml/cli/cli.h"
#include "diviml/solve/registry.h"
#include "diviml/util/error.h"

namespace diviml {
namespace {

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Registry, EverySolverIsARecord) {
  for (const char* n : {"single", "heft", "peft", "cpop", "etf", "rls", "milp", "split", "tp-heuristic", "auto"}) {
    const SolverRecord* r = FindSolver(n);
    ASSERT_NE(r, nullptr) << n;
    EXPECT_FALSE(r->description.empty()) << n;
    EXPECT_FALSE(r->objectives.empty()) << n;
    EXPECT_EQ(r->make != nullptr, r->Supports(Objective::kLatency)) << n;
  }
  EXPECT_EQ(FindSolver("nope"), nullptr);
  EXPECT_TRUE(FindSolver("split")->Supports(Objective::kThroughput));
  EXPECT_FALSE(FindSolver("heft")->Supports(Objective::kThroughput));
  EXPECT_EQ(SolverNameList(Objective::kThroughput),
            "single, milp, split, tp-heuristic, llm, llm-memory, llm-flops, auto");
}

TEST(Registry, DefaultsMatchTheOptionStructs) {
  const SplitOptions s = SplitOptionsFrom(ResolveParams(*FindSolver("split"), Objective::kLatency, {}));
  const SplitOptions s0;
  EXPECT_EQ(s.module_size, s0.module_size);
  EXPECT_EQ(s.auto_module_size, s0.auto_module_size);
  EXPECT_EQ(s.default_time_limit_s, s0.default_time_limit_s);
  EXPECT_EQ(s.bound_share, s0.bound_share);
  EXPECT_EQ(s.repair, s0.repair);
  EXPECT_EQ(s.forward_share, s0.forward_share);
  const MilpOptions m = MilpOptionsFrom(ResolveParams(*FindSolver("milp"), Objective::kLatency, {}));
  const MilpOptions m0;
  EXPECT_EQ(m.formulation, m0.formulation);
  EXPECT_EQ(m.time_indexed_max_columns, m0.time_indexed_max_columns);
  EXPECT_EQ(m.disjunctive, m0.disjunctive);
  EXPECT_EQ(m.transfer, m0.transfer);
  EXPECT_EQ(m.symmetry_breaking, m0.symmetry_breaking);
  EXPECT_EQ(m.load_rows, m0.load_rows);
  EXPECT_EQ(m.warm_start, m0.warm_start);
  EXPECT_EQ(m.run_heuristics, m0.run_heuristics);
  EXPECT_EQ(m.heuristic_share, m0.heuristic_share);
  EXPECT_EQ(m.rls_tries, m0.rls_tries);
  EXPECT_EQ(m.rls_rounds, m0.rls_rounds);
  EXPECT_EQ(m.energetic_bound, m0.energetic_bound);
  EXPECT_EQ(m.strict_improvement, m0.strict_improvement);
  EXPECT_EQ(RandomListOptionsFrom(ResolveParams(*FindSolver("rls"), Objective::kLatency, {})).max_tries,
            RandomListOptions().max_tries);
}

TEST(Registry, ParamsAreChecked) {
  const SolverRecord& split = *FindSolver("split");
  ParamValues v = ResolveParams(split, Objective::kLatency, {"split.module_size=12", "split.repair=false"});
  EXPECT_EQ(v.Int("split.module_size"), 12);
  EXPECT_FALSE(v.Bool("split.repair"));
  EXPECT_TRUE(v.IsSet("split.module_size"));
  EXPECT_FALSE(v.IsSet("split.bound_share"));
  EXPECT_EQ(SplitOptionsFrom(v).module_size, 12);
  EXPECT_FALSE(SplitOptionsFrom(v).auto_module_size);  // a given size is kept
  EXPECT_EQ(ErrorOf([&] { ResolveParams(split, Objective::kLatency, {"split.module_size=1"}); }),
            "--param split.module_size=1: out of range [2, 200]");
  EXPECT_EQ(ErrorOf([&] { ResolveParams(split, Objective::kLatency, {"split.module_size=ten"}); }),
            "--param split.module_size=ten: expected an integer");
  EXPECT_NE(ErrorOf([&] { ResolveParams(split, Objective::kLatency, {"split.nope=1"}); })
                .find("unknown parameter of solver 'split' (known: split.module_size"),
            std::string::npos);
  EXPECT_EQ(ErrorOf([&] { ResolveParams(split, Objective::kLatency, {"milp.rls_rounds=3"}); }),
            "--param milp.rls_rounds=3: a parameter of solver 'milp', not of 'split'");
  EXPECT_EQ(ErrorOf([&] { ResolveParams(split, Objective::kLatency, {"split.module_size"}); }),
            "--param split.module_size: expected NAME=VALUE");
  EXPECT_EQ(ErrorOf([&] { ResolveParams(split, Objective::kLatency, {"split.repair=maybe"}); }),
            "--param split.repair=maybe: expected true or false");
  EXPECT_EQ(ErrorOf([&] { ResolveParams(split, Objective::kLatency, {"split.bound_share=1.5"}); }),
            "--param split.bound_share=1.5: out of range [0, 1]");
  EXPECT_EQ(ErrorOf([&] { ResolveParams(split, Objective::kThroughput, {"split.module_size=12"}); }),
            "--param split.module_size=12: solver parameters apply to --objective latency only");
  EXPECT_EQ(ErrorOf([&] {
              ResolveParams(*FindSolver("milp"), Objective::kLatency, {"milp.formulation=fast"});
            }),
            "--param milp.formulation=fast: expected one of auto, disjunctive, time_indexed");
  EXPECT_EQ(ErrorOf([&] { ResolveParams(*FindSolver("heft"), Objective::kLatency, {"heft.x=1"}); }),
            "--param heft.x=1: unknown parameter of solver 'heft' (it has none)");
  EXPECT_THROW(v.Double("split.module_size"), std::logic_error);  // a type mismatch is a bug
}

TEST(Registry, SolversJsonListsEveryRecord) {
  std::ostringstream out, err;
  ASSERT_EQ(RunSolvers(true, out, err), 0);
  const nlohmann::json j = nlohmann::json::parse(out.str());
  ASSERT_EQ(j["solvers"].size(), SolverRegistry().size());
  bool saw_module_size = false;
  for (const auto& s : j["solvers"]) {
    EXPECT_TRUE(s.contains("objectives"));
    for (const auto& p : s["parameters"])
      if (p["name"] == "split.module_size") {
        saw_module_size = true;
        EXPECT_EQ(p["type"], "int");
        EXPECT_EQ(p["default"], "24");
        EXPECT_EQ(p["min"], 2);
        EXPECT_EQ(p["max"], 200);
        EXPECT_EQ(p["unit"], "nodes");
      }
  }
  EXPECT_TRUE(saw_module_size);
}

}  // namespace
}  // namespace diviml
