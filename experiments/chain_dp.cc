// diviml_chain_dp: the chain's device sequence chosen by a shortest path
// over per-entry segment plans, and (the referee of docs/split.md) an
// interval around the optimum. For every segment and (entry, exit) device
// pair, the segment alone is solved by SOLVER (`milp` or `cp`) for SECONDS;
// the shortest path over these makespans picks the cut nodes' devices, and
// the segments' plans are concatenated and evaluated on the whole graph
// (an upper bound). The shortest path over the entries' proven lower bounds
// (with cp, each at least its segment's free optimum: the segment solved
// once with its entry and exit free, the least over its pairs) is a lower
// bound on the optimum (the module-chain argument); when every
// entry on it is proven and no edge skips a cut node, the two meet and the
// optimum is known. Offline tool: minutes to an hour per graph.
//
// usage: diviml_chain_dp GRAPH PLATFORM [SECONDS=1] [SOLVER=milp]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <limits>
#include <string>
#include <vector>

#include "bound/subproblem.h"
#include "diviml/bound/bounds.h"
#include "diviml/core/evaluate.h"
#include "diviml/pipeline/pipeline.h"
#include "diviml/solve/cp.h"
#include "diviml/solve/milp.h"
#include "diviml/solve/solver.h"
#include "util/stopwatch.h"

using namespace diviml;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s GRAPH PLATFORM [SECONDS=1] [SOLVER=milp|cp]\n", argv[0]);
    return 2;
  }
  try {
    Inputs in;
    in.graph = argv[1];
    in.platform = argv[2];
    const Problem pr = LoadProblem(in);
    const double T = argc > 3 ? std::atof(argv[3]) : 1;
    const std::string solver = argc > 4 ? argv[4] : "milp";
    if (solver != "milp" && solver != "cp") {
      std::fprintf(stderr, "%s: unknown solver '%s' (milp or cp)\n", argv[0], solver.c_str());
      return 2;
    }
    if (std::string why; solver == "cp" && !CpAvailable(&why)) {
      std::fprintf(stderr, "%s: CP-SAT is not available: %s\n", argv[0], why.c_str());
      return 1;
    }
    const ModuleStructure ms = FindModules(pr);
    const int m = pr.m(), segs = static_cast<int>(ms.modules.size());
    const int cuts = static_cast<int>(ms.cut_nodes.size());
    auto entry_of = [&](int k) { return k > 0 ? ms.cut_nodes[k - 1] : -1; };
    auto exit_of = [&](int k) { return k < cuts ? ms.cut_nodes[k] : -1; };
    auto slots = [&](int v) { return v >= 0 ? m : 1; };
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<std::vector<double>> ub(segs, std::vector<double>(m * m, inf)), lb = ub;
    int entries = 0, proven = 0;
    std::vector<std::vector<Plan>> plans(segs, std::vector<Plan>(m * m));
    const Stopwatch clock;
    // With cp, each segment's free optimum first (entry and exit free): the
    // least over its pairs, a floor for every entry's bound.
    std::vector<double> floor_of(segs, 0);
    CpOptions plain;  // the plain search: it proves segments faster (docs/cp.md)
    plain.interleave = false;
    if (T > 0 && solver == "cp")
      for (int k = 0; k < segs; ++k) {
        if (ms.modules[k].empty()) continue;
        std::string err;
        const Problem sub = split::SegmentProblem(pr, entry_of(k), ms.modules[k], exit_of(k), -1, -1, &err);
        SolveOptions so;
        so.time_limit_s = T;
        const SolveResult r = MakeCpSolver(plain)->Solve(sub, so);
        floor_of[k] = r.status == SolveStatus::kOptimal ? r.makespan_s : r.lower_bound_s;
        std::fprintf(stderr, "seg %d (%zu nodes) free: plan %.2f bound %.2f %s %.2f s\n", k, ms.modules[k].size(),
                     r.makespan_s * 1e6, r.lower_bound_s * 1e6, r.status == SolveStatus::kOptimal ? "optimal" : "",
                     r.solve_time_s);
      }
    for (int k = 0; k < segs; ++k)
      for (int a = 0; a < slots(entry_of(k)); ++a)
        for (int b = 0; b < slots(exit_of(k)); ++b) {
          if ((entry_of(k) >= 0 && !pr.allowed(entry_of(k), a)) || (exit_of(k) >= 0 && !pr.allowed(exit_of(k), b)))
            continue;
          std::string err;
          const Problem sub = split::SegmentProblem(pr, entry_of(k), ms.modules[k], exit_of(k), a, b, &err);
          SolveOptions so;
          so.time_limit_s = ms.modules[k].empty() ? 0.1 : T;
          SolveResult r;
          if (T > 0 && solver == "cp") {
            r = MakeCpSolver(plain)->Solve(sub, so);
          } else if (T > 0) {
            r = MakeMilpSolver()->Solve(sub, so);
          } else {
            for (const char* h : {"heft", "peft", "etf", "cpop"}) {
              SolveResult q = MakeSolver(h)->Solve(sub, so);
              if (q.makespan_s < r.makespan_s) r = q;
            }
          }
          ub[k][a * m + b] = r.makespan_s;
          lb[k][a * m + b] = std::max(floor_of[k], r.status == SolveStatus::kOptimal ? r.makespan_s : r.lower_bound_s);
          ++entries;
          proven += r.status == SolveStatus::kOptimal;
          if (!ms.modules[k].empty())
            std::fprintf(stderr, "seg %d (%zu nodes) (%d,%d): plan %.2f bound %.2f %s %.2f s\n", k, ms.modules[k].size(), a,
                         b, r.makespan_s * 1e6, r.lower_bound_s * 1e6, r.status == SolveStatus::kOptimal ? "optimal" : "",
                         r.solve_time_s);
          plans[k][a * m + b] = r.plan;
        }
    // Shortest path (the one the module-chain bound and the chain pass use).
    std::vector<std::pair<int, int>> path;
    const double sum = split::ChainShortestPath(ms, m, [&](int k, int ab) { return ub[k][ab]; }, &path);
    if (!(sum < inf)) {
      std::fprintf(stderr, "%s %s: no finite path\n", argv[1], argv[2]);
      return 1;
    }
    for (int k = 0; k < segs; ++k)
      if (!ms.modules[k].empty())
        std::fprintf(stderr, "path seg %d (%d,%d) %.2f\n", k, path[k].first, path[k].second, ub[k][path[k].first * m + path[k].second] * 1e6);
    // Concatenate: global priority = segment order; the entry's local id is
    // 0 when there is an entry, the module follows, the exit marker last.
    std::vector<int> device(pr.n(), -1), priority;
    for (int k = 0; k < segs; ++k) {
      const auto [a, bb] = path[k];
      const Plan& sp = plans[k][a * m + bb];
      const int off = entry_of(k) >= 0 ? 1 : 0;
      if (entry_of(k) >= 0) {
        device[entry_of(k)] = a;
        priority.push_back(entry_of(k));
      }
      // Module nodes in the order of their start on their devices: use the
      // sub-plan's device orders, merged by sub-plan position.
      std::vector<int> local_order;
      std::vector<size_t> pos(sp.order.size(), 0);
      // Merge device orders into one precedence-consistent list (repeat
      // picking any device head whose predecessors are placed).
      const Problem sub = [&] {
        std::string err;
        return split::SegmentProblem(pr, entry_of(k), ms.modules[k], exit_of(k), a, bb, &err);
      }();
      const Evaluation sev = Evaluate(sub, sp);
      std::vector<int> ids;
      for (size_t i = 0; i < ms.modules[k].size(); ++i) ids.push_back(static_cast<int>(i));
      std::sort(ids.begin(), ids.end(), [&](int x, int y) {
        return sev.schedule.start_s[x + off] < sev.schedule.start_s[y + off];
      });
      for (int i : ids) {
        device[ms.modules[k][i]] = sp.device[i + off];
        priority.push_back(ms.modules[k][i]);
      }
    }
    if (cuts == segs) {
      device[ms.cut_nodes[cuts - 1]] = path[segs - 1].second;
      priority.push_back(ms.cut_nodes[cuts - 1]);
    }
    const Plan plan = Plan::FromPriority(device, priority, m);
    const Evaluation ev = Evaluate(pr, plan);
    std::vector<std::pair<int, int>> lb_path;
    const double bound = split::ChainShortestPath(ms, m, [&](int k, int ab) { return lb[k][ab]; }, &lb_path);
    std::printf("%s %s: %d segments, path sum %.3f us, concatenated plan %.3f us (%s), bound %.3f us (%d of %d entries "
                "proven), %.1f s\n",
                argv[1], argv[2], segs, sum * 1e6, ev.makespan_s * 1e6, ev.valid ? "valid" : "INVALID", bound * 1e6,
                proven, entries, clock.seconds());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  return 0;
}
