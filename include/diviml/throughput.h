// Throughput (SPEC.md section 5): R copies ("replicas") of the graph are
// mapped onto the platform at once; a stream of samples is served with
// sample s running on replica s mod R. In steady state every resource
// (device, and every ordered device pair's link) must do the work of R
// samples per period P, so
//
//   P = max( max_d  sum_{r,i : dev(r,i)=d} p(i,d),
//            max_{d!=f} sum_{r, e=(i,j) : dev(r,i)=d, dev(r,j)=f} c(e,d,f) )
//
// and throughput = R / P. Links are full duplex: d->f and f->d are separate
// resources (docs/throughput.md). Memory: the weights of node i count once on
// device d when any replica places i there (replicas share weights).
//
// Latency of one sample = the makespan of its replica run alone, with the
// replica's nodes ordered on every device by decreasing bottom level under the
// assignment (ReplicaLatency); the simulator measures the real latency under
// load.
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "diviml/plan.h"
#include "diviml/problem.h"
#include "diviml/solver.h"

namespace diviml {

struct ThroughputPlan {
  int replicas() const { return static_cast<int>(device.size()); }
  std::vector<std::vector<int>> device;  // device[r][i]
};

struct PeriodInfo {
  bool valid = false;                    // every node on an allowed device, memory fits
  std::vector<std::string> violations;
  double period_s = 0;
  double throughput_per_s = 0;           // R / period (infinity when period is 0)
  std::vector<double> device_load_s;     // per device, per R samples
  std::vector<double> link_load_s;       // [d * m + f], per R samples
  std::vector<double> device_param_bytes;
  std::string bottleneck;                // "device GPU0" or "link CPU->GPU0"
};

// O(R (V + E) + m^2).
PeriodInfo EvaluatePeriod(const Problem& pr, const ThroughputPlan& plan);

// The single-sample plan of one replica (order by decreasing bottom level).
Plan ReplicaPlan(const Problem& pr, const std::vector<int>& device);
// Its makespan run alone (Evaluate of ReplicaPlan).
double ReplicaLatency(const Problem& pr, const std::vector<int>& device);

struct ThroughputOptions {
  // single | milp | split | tp-heuristic | auto ("" too:
  // DefaultThroughputSolver).
  std::string solver = "split";
  int replicas = 0;               // 0 = auto
  int max_auto_replicas = 0;      // 0 = 2 m for heuristics, m for milp (at most 8)
  double max_latency_s = std::numeric_limits<double>::infinity();
  double min_throughput_per_s = 0;  // > 0: minimise latency subject to it
  SolveOptions solve;
  // Internal: the period lower bound for R = replicas when >= 0 (set by
  // SolveThroughput once per R so solvers do not recompute it).
  double period_lower_bound_s = -1;
};

struct ThroughputResult {
  std::string solver;
  SolveStatus status = SolveStatus::kError;
  ThroughputPlan plan;
  double period_s = std::numeric_limits<double>::infinity();
  double throughput_per_s = 0;
  // Valid for every R: throughput <= 1 / (fractional per-sample work bound).
  double throughput_upper_bound_per_s = std::numeric_limits<double>::infinity();
  // Lower bound on the period for the plan's R (work LP and largest node).
  double period_lower_bound_s = 0;
  std::vector<double> latency_s;  // per replica (ReplicaLatency)
  double solve_time_s = 0;
  std::string message;
  std::string solver_note;  // why the solver was chosen (solver "auto")
};

// Lower bound on the period with R replicas: the threshold LP (node i only
// on devices where p(i,d) <= the period; fractional replica counts; device
// loads and the transfers forced by nodes left with one device <= P),
// binary search over the breakpoints p(i,d). Dominates R * SampleWorkBound
// and max_i min_d p(i,d). Falls back to max(R * sum min p / m, max min p)
// when no LP backend is built. O(log(V m)) LPs of V m columns
// (bound.cc; the argument is in docs/throughput.md).
double PeriodLowerBound(const Problem& pr, int replicas);
// The work LP for one sample (R = 1, links ignored): the fractional LP scales
// linearly with R, so period >= R * this for every R and throughput <=
// 1 / this whatever R. Cached per call only; O(LP(V m)).
double SampleWorkBound(const Problem& pr);

// The default solver for solver "auto": milp (with a time limit of
// kThroughputDefaultMilpTimeLimit s unless one is given) for graphs of at
// most kThroughputMilpMaxNodes nodes when an LP backend is built, else split.
inline constexpr int kThroughputMilpMaxNodes = 30;
inline constexpr double kThroughputDefaultMilpTimeLimit = 10;
inline constexpr const char* kThroughputSolverNames = "single, milp, split, tp-heuristic, auto";
std::string DefaultThroughputSolver(const Problem& pr, std::string* why);

// Runs the requested solver, handles auto R and the two constraints.
ThroughputResult SolveThroughput(const Problem& pr, const ThroughputOptions& options);

// Individual solvers for a fixed R (options.replicas >= 1).
ThroughputResult SolveThroughputSingle(const Problem& pr, const ThroughputOptions& options);
ThroughputResult SolveThroughputHeuristic(const Problem& pr, const ThroughputOptions& options);
// tp-heuristic's candidates plus the module-chain pipeline packing
// (module_split.cc), each refined by local search; never worse than
// SolveThroughputHeuristic without a time limit.
ThroughputResult SolveThroughputSplit(const Problem& pr, const ThroughputOptions& options);
ThroughputResult SolveThroughputMilp(const Problem& pr, const ThroughputOptions& options);

struct SimulationResult {
  int samples = 0;
  double throughput_per_s = 0;   // saturated input, measured after warm-up
  double mean_latency_s = 0;     // input paced at the predicted rate
  double max_latency_s = 0;
  double makespan_s = 0;         // of the saturated run
};

// Discrete-event simulation: devices and directed links are resources that
// run one task at a time, non-preemptively; ready tasks wait in FIFO order by
// sample (then topological order). O(N (V + E) log).
SimulationResult SimulateThroughput(const Problem& pr, const ThroughputPlan& plan,
                                    int samples = 1000);

// SVG Gantt chart of `periods` periods of the saturated simulation (after
// the pipeline has filled): one row per device and per used link, bars
// coloured by sample.
std::string ThroughputGanttSvg(const Problem& pr, const ThroughputPlan& plan, int periods = 3);

// Plan JSON (diviml-plan-v1 plus "objective": "throughput", "replicas",
// "replica_assignment": [{node: device}, ...]); "assignment"/"priority" hold
// replica 0 so latency tools still read it.
std::string ThroughputPlanJson(const Problem& pr, const ThroughputResult& r);
// Reads "replica_assignment" (or a plain "assignment" as R = 1); InputError.
ThroughputPlan ParseThroughputPlanJson(const std::string& text, const std::string& source,
                                       const Problem& pr);

}  // namespace diviml
