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
  std::string solver = "split";   // single | milp | split (= tp-heuristic)
  int replicas = 0;               // 0 = auto
  int max_auto_replicas = 0;      // 0 = 2 m for heuristics, m for milp (at most 8)
  double max_latency_s = std::numeric_limits<double>::infinity();
  double min_throughput_per_s = 0;  // > 0: minimise latency subject to it
  SolveOptions solve;
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
};

// Lower bound on the period with R replicas: the LP min P over fractional
// assignments of R copies of every node with every device load <= P (links
// ignored), and the largest min_d p(i,d). Falls back to R * sum min p / m
// when no LP backend is built.
double PeriodLowerBound(const Problem& pr, int replicas);
// The work LP for one sample (R = 1, links ignored): the fractional LP scales
// linearly with R, so period >= R * this for every R and throughput <=
// 1 / this whatever R. Cached per call only; O(LP(V m)).
double SampleWorkBound(const Problem& pr);

// Runs the requested solver, handles auto R and the two constraints.
ThroughputResult SolveThroughput(const Problem& pr, const ThroughputOptions& options);

// Individual solvers for a fixed R (options.replicas >= 1).
ThroughputResult SolveThroughputSingle(const Problem& pr, const ThroughputOptions& options);
ThroughputResult SolveThroughputHeuristic(const Problem& pr, const ThroughputOptions& options);
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
