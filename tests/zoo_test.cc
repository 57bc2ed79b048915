// Every bundled model imports, gets a time on every device of every preset
// from the cost model, and every heuristic's plan passes the evaluator with
// the makespan the solver claims; bounds never exceed the plans.
#include <gtest/gtest.h>

#include "diviml/bound/bounds.h"
#include "diviml/cli/cli.h"
#include "diviml/core/evaluate.h"
#include "diviml/solve/heuristics.h"
#include "diviml/cost/cost_model.h"
#include "diviml/io/io.h"
#include "diviml/io/zoo.h"

namespace diviml {
namespace {

TEST(Zoo, EveryModelOnEveryPresetWithEveryHeuristic) {
  const auto models = ZooModels();
  const auto platforms = ZooPlatforms();
  ASSERT_GE(models.size(), 10u);
  ASSERT_GE(platforms.size(), 2u);
  for (const auto& model : models) {
    for (const auto& platform : platforms) {
      CommonArgs args;
      args.graph = "zoo:" + model;
      args.platform = "zoo:" + platform;
      Problem pr = LoadProblem(args);
      SCOPED_TRACE(model + " on " + platform);
      // Graph inputs and outputs are pinned to the host.
      int pinned = 0;
      for (int v = 0; v < pr.n(); ++v) pinned += pr.fixed_device(v) >= 0;
      EXPECT_GE(pinned, 2);
      const double lb = ComputeBounds(pr).best_s;
      for (const auto& name : {"single", "heft", "peft", "cpop", "etf", "rls"}) {
        auto solver = MakeSolver(name);
        SolveOptions so;
        so.time_limit_s = 0.1;  // rls: a few tries are enough here
        SolveResult r = solver->Solve(pr, so);
        Evaluation ev = Evaluate(pr, r.plan);
        ASSERT_TRUE(ev.valid) << name << ": " << (ev.violations.empty() ? "" : ev.violations[0]);
        EXPECT_NEAR(ev.makespan_s, r.makespan_s, 1e-9 * r.makespan_s) << name;
        EXPECT_GE(ev.makespan_s * (1 + 1e-9), lb) << name;
        for (int v = 0; v < pr.n(); ++v)
          if (pr.fixed_device(v) >= 0) EXPECT_EQ(r.plan.device[v], pr.fixed_device(v));
      }
    }
  }
}

TEST(Zoo, ProfileOverridesTheCostModel) {
  CommonArgs args;
  args.graph = "zoo:resnet50";
  args.platform = "zoo:paper";
  Problem modelled = LoadProblem(args);
  args.profile = ZooDir() + "/profiles/resnet50.cpu.json";
  Problem measured = LoadProblem(args);
  const int cpu = measured.platform().FindDevice("cpu");
  ASSERT_GE(cpu, 0);
  const int conv = measured.graph().FindNode("/conv1/Conv");
  ASSERT_GE(conv, 0);
  EXPECT_NE(measured.p(conv, cpu), modelled.p(conv, cpu));
  // GPUs keep their modelled times.
  EXPECT_EQ(measured.p(conv, 1), modelled.p(conv, 1));
}

TEST(Zoo, ClusterPlatformHasServersTimesDevices) {
  CommonArgs args;
  args.graph = "zoo:resnet18";
  args.platform = "cluster:3";
  Problem pr = LoadProblem(args);
  EXPECT_EQ(pr.m(), 9);
  // Inside a server: PCIe; across servers: the network.
  EXPECT_LT(pr.platform().link(0, 1).latency_s + 1e-12, pr.platform().link(0, 3).latency_s + 1e-3);
  EXPECT_GT(pr.platform().link(1, 2).bandwidth_Bps, pr.platform().link(1, 4).bandwidth_Bps);
  // Swapping one device between servers is no symmetry (its PCIe
  // neighbours differ); only whole servers are interchangeable.
  auto classes = pr.platform().SymmetryClasses();
  EXPECT_NE(classes[0], classes[3]);
  EXPECT_EQ(pr.platform().devices[0].type, pr.platform().devices[3].type);
  EXPECT_EQ(pr.platform().devices[3].server, "server1");
}

TEST(Zoo, CatalogueTypesFillMissingFigures) {
  Platform p = ParsePlatformJson(R"({"format": "diviml-platform-v1", "name": "x",
      "devices": [{"name": "g", "type": "a100"}, {"name": "h", "type": "a100", "peak_flops": 1e12},
                  {"name": "u", "type": "unknown-part"}],
      "default_link": {"bandwidth_Bps": 1e9, "latency_s": 0}})", "x.json");
  EXPECT_EQ(ApplyCatalogueDefaults(p), 2);
  const CatalogueDevice* a100 = FindCatalogueDevice("a100");
  ASSERT_NE(a100, nullptr);
  EXPECT_EQ(p.devices[0].peak_flops, a100->peak_flops);
  EXPECT_EQ(p.devices[0].mem_bandwidth_Bps, a100->mem_bandwidth_Bps);
  EXPECT_EQ(p.devices[0].memory_bytes, a100->memory_bytes);
  EXPECT_EQ(p.devices[1].peak_flops, 1e12);  // the file's figure wins
  EXPECT_EQ(p.devices[2].peak_flops, 0);     // not in the catalogue
}

}  // namespace
}  // namespace diviml
