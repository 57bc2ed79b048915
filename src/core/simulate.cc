// Steady-state discrete-event simulator of a throughput plan. Sample s runs
// on replica s mod R. Resources: every device and every directed link
// (d -> f); each runs one task at a time, non-preemptively. A compute task is
// ready when all its inputs have arrived; a transfer is ready when its
// producer finishes. Ready tasks wait per resource, served oldest sample
// first, then in topological order. Two runs: saturated (all samples at
// t = 0) for the achieved throughput, and paced (samples
// s = kR .. kR + R - 1 arrive at k P) for the per-sample latency.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <functional>
#include <queue>
#include <tuple>

#include "diviml/core/throughput_model.h"

namespace diviml {
namespace {

struct Interval {
  int resource, sample, task;  // task < n: node, else edge task - n
  double start, end;
};

struct Run {
  std::vector<double> arrival, done;
  double makespan = 0;
};

Run Simulate(const Problem& pr, const ThroughputPlan& plan, const std::vector<double>& arrival,
             std::vector<Interval>* trace = nullptr) {
  const Graph& g = pr.graph();
  const int n = pr.n(), m = pr.m(), E = g.num_edges(), R = plan.replicas();
  const int N = static_cast<int>(arrival.size());
  const long long T = n + E;  // tasks per sample: nodes then edges
  const auto& pos = g.topo_index();
  // Ready queue key: (sample, topo position of the node / edge source, kind, task).
  using Key = std::tuple<int, int, int, long long>;
  std::vector<std::priority_queue<Key, std::vector<Key>, std::greater<Key>>> ready(m + m * m);
  std::vector<char> busy(m + m * m, 0);
  std::vector<int> waiting(static_cast<size_t>(N) * n);
  std::vector<int> left(N, n);
  Run run;
  run.arrival = arrival;
  run.done.assign(N, 0);
  // Events: (time, seq, task or -1-sample for an arrival).
  using Ev = std::tuple<double, long long, long long>;
  std::priority_queue<Ev, std::vector<Ev>, std::greater<Ev>> ev;
  long long seq = 0;
  for (int s = 0; s < N; ++s) ev.push({arrival[s], seq++, -1 - s});
  auto resource_of = [&](long long task) {
    int s = static_cast<int>(task / T), k = static_cast<int>(task % T);
    const auto& dev = plan.device[s % R];
    if (k < n) return dev[k];
    const auto& ed = g.edges[k - n];
    return m + dev[ed.from] * m + dev[ed.to];
  };
  auto duration = [&](long long task) {
    int s = static_cast<int>(task / T), k = static_cast<int>(task % T);
    const auto& dev = plan.device[s % R];
    if (k < n) return pr.p(k, dev[k]);
    const auto& ed = g.edges[k - n];
    return pr.comm(k - n, dev[ed.from], dev[ed.to]);
  };
  auto make_ready = [&](long long task) {
    int s = static_cast<int>(task / T), k = static_cast<int>(task % T);
    int key = k < n ? pos[k] : pos[g.edges[k - n].from];
    ready[resource_of(task)].push({s, key, k < n ? 1 : 0, task});
  };
  std::vector<int> touched;
  auto try_start = [&](int res, double now) {
    if (busy[res] || ready[res].empty()) return;
    long long task = std::get<3>(ready[res].top());
    ready[res].pop();
    busy[res] = 1;
    double d = duration(task);
    if (trace && d > 0)
      trace->push_back({res, static_cast<int>(task / T), static_cast<int>(task % T), now, now + d});
    ev.push({now + d, seq++, task});
  };
  // Arrival of the input of node j of sample s (or the node itself).
  auto node_ready_check = [&](int s, int j) {
    if (--waiting[static_cast<size_t>(s) * n + j] == 0) {
      make_ready(static_cast<long long>(s) * T + j);
      touched.push_back(resource_of(static_cast<long long>(s) * T + j));
    }
  };
  while (!ev.empty()) {
    auto [t, sq, task] = ev.top();
    ev.pop();
    touched.clear();
    if (task < 0) {
      int s = static_cast<int>(-1 - task);
      for (int i = 0; i < n; ++i) {
        waiting[static_cast<size_t>(s) * n + i] = g.in_degree(i);
        if (g.in_degree(i) == 0) {
          make_ready(static_cast<long long>(s) * T + i);
          touched.push_back(resource_of(static_cast<long long>(s) * T + i));
        }
      }
    } else {
      int res = resource_of(task);
      busy[res] = 0;
      touched.push_back(res);
      int s = static_cast<int>(task / T), k = static_cast<int>(task % T);
      const auto& dev = plan.device[s % R];
      if (k < n) {
        if (--left[s] == 0) run.done[s] = t;
        for (int e : g.out_edges(k)) {
          int j = g.edges[e].to;
          if (dev[k] == dev[j]) {
            node_ready_check(s, j);
          } else {
            long long tr = static_cast<long long>(s) * T + n + e;
            make_ready(tr);
            touched.push_back(resource_of(tr));
          }
        }
      } else {
        node_ready_check(s, g.edges[k - n].to);
      }
    }
    for (int r : touched) try_start(r, t);
    run.makespan = std::max(run.makespan, t);
  }
  return run;
}

}  // namespace

std::vector<SimulationInterval> SimulationTrace(const Problem& pr, const ThroughputPlan& plan, int samples) {
  std::vector<Interval> trace;
  if (plan.replicas() > 0 && samples > 0) Simulate(pr, plan, std::vector<double>(samples, 0.0), &trace);
  std::vector<SimulationInterval> out;
  out.reserve(trace.size());
  for (const Interval& iv : trace) out.push_back({iv.resource, iv.sample, iv.task, iv.start, iv.end});
  return out;
}

SimulationResult SimulateThroughput(const Problem& pr, const ThroughputPlan& plan, int samples) {
  SimulationResult out;
  out.samples = samples;
  if (samples < 2 || plan.replicas() < 1 || pr.n() == 0) return out;
  PeriodInfo info = EvaluatePeriod(pr, plan);
  // Saturated.
  Run sat = Simulate(pr, plan, std::vector<double>(samples, 0.0));
  out.makespan_s = sat.makespan;
  std::vector<double> done = sat.done;
  std::sort(done.begin(), done.end());
  int k = samples / 5;
  double span = done[samples - 1] - done[k - 1 < 0 ? 0 : k - 1];
  out.throughput_per_s = span > 0 ? (samples - k) / span : INFINITY;
  // Paced at the predicted rate.
  std::vector<double> arr(samples, 0.0);
  // R samples (one per replica) arrive together once per period.
  for (int s = 0; s < samples; ++s) arr[s] = (s / plan.replicas()) * info.period_s;
  Run paced = Simulate(pr, plan, arr);
  double sum = 0;
  for (int s = 0; s < samples; ++s) {
    double l = paced.done[s] - paced.arrival[s];
    sum += l;
    out.max_latency_s = std::max(out.max_latency_s, l);
  }
  out.mean_latency_s = sum / samples;
  return out;
}

}  // namespace diviml
