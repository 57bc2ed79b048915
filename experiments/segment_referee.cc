// diviml_segments: a plan cut at its cut nodes, each module segment beside
// its bounds and its best plan (docs/split.md, "Which side carries the bench
// gap, per segment"). For every module of at least MIN_NODES nodes, with
// the plan's own devices for the segment's entry and exit: its duration in
// the plan (start of the exit minus start of the entry), the cheap bounds,
// device_energetic, the assignment bound, MilpExactSolve() and split on the
// segment alone, SECONDS each. Cut-node segments are listed with their
// duration only. Offline tool: minutes per graph.
//
// usage: diviml_segments GRAPH PLATFORM PLAN.json [SECONDS=10] [MIN_NODES=8]
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "bound/subproblem.h"
#include "diviml/bound/bounds.h"
#include "diviml/core/evaluate.h"
#include "diviml/io/plan_io.h"
#include "diviml/pipeline/pipeline.h"
#include "diviml/solve/milp.h"
#include "diviml/solve/split.h"
#include "diviml/util/file.h"
#include "util/stopwatch.h"

using namespace diviml;

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s GRAPH PLATFORM PLAN.json [SECONDS=10] [MIN_NODES=8]\n", argv[0]);
    return 2;
  }
  try {
    Inputs in;
    in.graph = argv[1];
    in.platform = argv[2];
    const Problem pr = LoadProblem(in);
    const Plan plan = ParsePlanJson(ReadFile(argv[3]), argv[3], pr);
    const Evaluation ev = Evaluate(pr, plan);
    if (!ev.valid) {
      std::fprintf(stderr, "%s: plan is not valid for %s\n", argv[3], argv[1]);
      return 1;
    }
    const double T = argc > 4 ? std::atof(argv[4]) : 10;
    const int min_nodes = argc > 5 ? std::atoi(argv[5]) : 8;
    const double us = 1e6;
    std::printf("plan makespan %.3f us\n\n", ev.makespan_s * us);
    std::printf("| segment | nodes | entry, exit | in the plan | cheap | device_energetic | assignment | MILP | split alone |\n");
    std::printf("|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
    const ModuleStructure ms = FindModules(pr);
    for (size_t k = 0; k < ms.modules.size(); ++k) {
      const int entry = k > 0 ? ms.cut_nodes[k - 1] : -1;
      const int exit = k < ms.cut_nodes.size() ? ms.cut_nodes[k] : -1;
      const double s0 = entry >= 0 ? ev.schedule.start_s[entry] : 0;
      const double s1 = exit >= 0 ? ev.schedule.start_s[exit] : ev.makespan_s;
      const int n = static_cast<int>(ms.modules[k].size());
      if (n < min_nodes) {
        std::printf("| %zu | %d | | %.3f | | | | | |\n", k, n, (s1 - s0) * us);
        continue;
      }
      const int a = entry >= 0 ? plan.device[entry] : 0, b = exit >= 0 ? plan.device[exit] : 0;
      std::string err;
      const Problem sub = split::SegmentProblem(pr, entry, ms.modules[k], exit, a, b, &err);
      if (!err.empty()) {
        std::fprintf(stderr, "segment %zu: %s\n", k, err.c_str());
        return 1;
      }
      const double cheap = ComputeBounds(sub).best_s;
      const double de = DeviceEnergeticBound(sub, cheap, 14);
      const Stopwatch clock;
      const AssignmentBoundResult asg = AssignmentBound(sub, T);
      const double asg_s = clock.seconds();
      const ExactAnswer ex = MilpExactSolve()(sub, T);
      SolveOptions so;
      so.time_limit_s = T;
      const SolveResult sr = MakeSplitSolver()->Solve(sub, so);
      auto dev = [&](int v, int d) { return v >= 0 ? pr.platform().devices[d].name : std::string("-"); };
      std::printf("| %zu | %d | %s, %s | %.3f | %.3f | %.3f | %.3f%s (%.2f s) | %.3f%s | %.3f |\n", k, n,
                  dev(entry, a).c_str(), dev(exit, b).c_str(), (s1 - s0) * us, cheap * us, de * us, asg.value_s * us,
                  asg.proven ? "*" : "", asg_s, ex.value_s * us, ex.kind == ExactAnswer::Kind::kOptimal ? "*" : "",
                  sr.makespan_s * us);
      std::fflush(stdout);
    }
    std::printf("\n* = proven optimal\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  return 0;
}
