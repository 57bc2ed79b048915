// The throughput model (docs/throughput.md): R copies ("replicas") of the
// graph are mapped onto the platform at once; a stream of samples is served
// with sample s running on replica s mod R. In steady state every resource
// (device, and every ordered device pair's link) must do the work of R
// samples per period P, so
//
//   P = max( max_d  sum_{r,i : dev(r,i)=d} p(i,d),
//            max_{d!=f} sum_{r, e=(i,j) : dev(r,i)=d, dev(r,j)=f} c(e,d,f) )
//
// and throughput = R / P. Links are full duplex: d->f and f->d are separate
// resources. Memory: the weights of node i count once on device d when any
// replica places i there (replicas share weights).
//
// Latency of one sample = the makespan of its replica run alone, with the
// replica's nodes ordered on every device by decreasing bottom level under the
// assignment (ReplicaLatency); the simulator measures the real latency under
// load. This is the evaluator of throughput plans, independent of solvers.
#pragma once

#include <string>
#include <vector>

#include "diviml/core/plan.h"
#include "diviml/core/problem.h"

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

// One busy interval of the saturated simulation: resource < m is a device,
// else the link (resource - m) / m -> (resource - m) % m; task < n is a node,
// else the edge task - n.
struct SimulationInterval {
  int resource = 0, sample = 0, task = 0;
  double start = 0, end = 0;
};
// Every interval of `samples` samples arriving at time 0 (as
// SimulateThroughput's saturated run). O(samples (V + E) log).
std::vector<SimulationInterval> SimulationTrace(const Problem& pr, const ThroughputPlan& plan, int samples);

}  // namespace diviml
