// Problem: a graph on a platform with every node's time on every device
// resolved to a number. This is what every solver, bound and the evaluator
// take; it is immutable once built.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "diviml/graph/graph.h"
#include "diviml/platform/platform.h"

namespace diviml {

class Problem {
 public:
  // Resolves times: node.time_s[device name], else node.time_s[device type],
  // else node.time_s["*"]. Sets *error to a message naming the node and
  // device when some time is missing (the cost model fills times before
  // this; see include/diviml/cost/cost_model.h). host_device is the device
  // that nodes pinned to "host" run on (the caller decides; the pipeline
  // uses HostDevice() of the cost model); -1 = none, and then a "host" pin
  // is an error.
  static Problem Build(Graph graph, Platform platform, std::string* error, int host_device = -1);

  const Graph& graph() const { return *graph_; }
  const Platform& platform() const { return *platform_; }
  int n() const { return graph_->num_nodes(); }
  int m() const { return platform_->num_devices(); }

  // Execution time of node i on device d, seconds.
  double p(int i, int d) const { return time_[static_cast<size_t>(i) * m_ + d]; }
  double min_p(int i) const { return min_time_[i]; }
  // Device node i is pinned to, or -1 when it may run anywhere.
  int fixed_device(int i) const { return fixed_[i]; }
  bool allowed(int i, int d) const { return fixed_[i] < 0 || fixed_[i] == d; }
  // The host device given to Build (-1 when none).
  int host_device() const { return host_; }
  // Devices interchangeable in this problem: the platform's symmetry
  // classes, refined so that devices in one class give every node the same
  // time and no node is pinned to any of them. Class id per device.
  const std::vector<int>& symmetry_classes() const { return sym_; }
  // Transfer time of edge e (index into graph().edges) from device d to f.
  double comm(int e, int d, int f) const {
    return platform_->TransferTime(d, f, graph_->edges[e].bytes);
  }
  // Mean transfer time of edge e over ordered device pairs d != f (HEFT's
  // c-bar); 0 with one device.
  double mean_comm(int e) const { return mean_comm_[e]; }
  // Mean execution time of node i over devices (HEFT's w-bar).
  double mean_p(int i) const { return mean_time_[i]; }

  // True when every time and every transfer cost is a whole number, so any
  // makespan is one too and bounds may be rounded up.
  bool integral() const { return integral_; }

  const Reachability& reach() const;  // built on first use

  // Lazily computed reachability is shared between copies.
 private:
  std::shared_ptr<const Graph> graph_;
  std::shared_ptr<const Platform> platform_;
  int m_ = 0;
  std::vector<double> time_, min_time_, mean_time_, mean_comm_;
  std::vector<int> fixed_, sym_;
  int host_ = -1;
  bool integral_ = false;
  std::shared_ptr<std::shared_ptr<Reachability>> reach_ =
      std::make_shared<std::shared_ptr<Reachability>>();
};

// The same problem with every time (execution and transfer) multiplied by
// factor: same plans, makespans times factor. Lets an exact solver work in
// units where the makespan is O(1..1000) whatever the problem's units.
// Throws std::invalid_argument when factor is not finite and > 0 or the
// scaled problem does not build (a time overflows). O(V m + m^2 + E).
Problem ScaleTimes(const Problem& problem, double factor);

}  // namespace diviml
