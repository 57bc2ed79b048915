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

#include "diviml/throughput.h"

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

static std::string XmlEscape(const std::string& t) {
  std::string o;
  for (char c : t) {
    if (c == '<') o += "&lt;";
    else if (c == '>') o += "&gt;";
    else if (c == '&') o += "&amp;";
    else if (c == '"') o += "&quot;";
    else o += c;
  }
  return o;
}

std::string ThroughputGanttSvg(const Problem& pr, const ThroughputPlan& plan, int periods) {
  const int m = pr.m(), n = pr.n();
  PeriodInfo info = EvaluatePeriod(pr, plan);
  const int R = plan.replicas();
  const int samples = std::max(4 * R * (periods + 2), 40);
  std::vector<Interval> trace;
  Simulate(pr, plan, std::vector<double>(samples, 0.0), &trace);
  // A window of `periods` periods after the pipeline has filled.
  double t_end = 0;
  for (const auto& iv : trace) t_end = std::max(t_end, iv.end);
  const double P = info.period_s > 0 ? info.period_s : 1;
  double t0 = std::max(0.0, t_end / 2 - periods * P / 2), t1 = t0 + periods * P;
  std::vector<int> rows;  // resources shown
  std::vector<char> used(m + m * m, 0);
  for (int d = 0; d < m; ++d) used[d] = 1;
  for (const auto& iv : trace) used[iv.resource] = 1;
  for (int r = 0; r < m + m * m; ++r)
    if (used[r]) rows.push_back(r);
  const auto& devs = pr.platform().devices;
  auto label = [&](int r) {
    if (r < m) return devs[r].name;
    return devs[(r - m) / m].name + "->" + devs[(r - m) % m].name;
  };
  const double W = 900, left = 140, rowh = 22, top = 30;
  const double H = top + rowh * rows.size() + 30;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(int(left + W + 20)) +
                    "\" height=\"" + std::to_string(int(H)) + "\" font-family=\"sans-serif\" font-size=\"11\">\n";
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "<text x=\"10\" y=\"18\">%s on %s: %d replicas, period %.4g s, throughput %.4g/s (%d periods)</text>\n",
                XmlEscape(pr.graph().name).c_str(), XmlEscape(pr.platform().name).c_str(), R, info.period_s, info.throughput_per_s, periods);
  svg += buf;
  for (size_t k = 0; k < rows.size(); ++k) {
    std::snprintf(buf, sizeof buf, "<text x=\"10\" y=\"%.1f\">%s</text>\n", top + rowh * k + 15, XmlEscape(label(rows[k])).c_str());
    svg += buf;
  }
  for (int k = 0; k <= periods; ++k) {
    double x = left + W * k / periods;
    std::snprintf(buf, sizeof buf, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\" stroke-dasharray=\"3,3\"/>\n",
                  x, top - 4, x, top + rowh * rows.size() + 4);
    svg += buf;
  }
  std::vector<int> row_of(m + m * m, -1);
  for (size_t k = 0; k < rows.size(); ++k) row_of[rows[k]] = static_cast<int>(k);
  for (const auto& iv : trace) {
    if (iv.end <= t0 || iv.start >= t1) continue;
    double a = std::max(iv.start, t0), b = std::min(iv.end, t1);
    double x = left + W * (a - t0) / (t1 - t0), w = std::max(0.5, W * (b - a) / (t1 - t0));
    int hue = (iv.sample * 47) % 360;
    std::string what = iv.task < n ? pr.graph().nodes[iv.task].id : "edge " + std::to_string(iv.task - n);
    std::snprintf(buf, sizeof buf,
                  "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"hsl(%d,60%%,60%%)\"><title>sample %d: %s</title></rect>\n",
                  x, top + rowh * row_of[iv.resource] + 2, w, rowh - 4, hue, iv.sample, XmlEscape(what).c_str());
    svg += buf;
  }
  svg += "</svg>\n";
  return svg;
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
