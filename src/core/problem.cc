// Problem::Build resolves every node's time on every device:
// time_s[device name], else time_s[device type], else time_s["*"] (the same
// on every device, as STG files give it). A missing time is an error naming
// the node and the device: never a silent default. O(V * m + E * m^2).
#include "diviml/core/problem.h"


#include <cmath>
#include <mutex>

namespace diviml {

static bool Whole(double x) { return std::isfinite(x) && x == std::floor(x); }

Problem Problem::Build(Graph graph, Platform platform, std::string* error, int host_device) {
  Problem pr;
  if (!graph.finalized()) {
    if (auto err = graph.Finalize()) {
      if (error) *error = *err;
      return pr;
    }
  }
  const int n = graph.num_nodes();
  const int m = platform.num_devices();
  if (m == 0) {
    if (error) *error = "platform has no devices";
    return pr;
  }
  if (!platform.links_complete()) {
    if (error) *error = "platform has no link matrix (no default_link or links)";
    return pr;
  }
  pr.m_ = m;
  if (host_device >= m) {
    if (error) *error = "host device " + std::to_string(host_device) + " is not on the platform";
    return pr;
  }
  pr.host_ = host_device;
  pr.fixed_.assign(n, -1);
  for (int i = 0; i < n; ++i) {
    const std::string& pin = graph.nodes[i].pin;
    if (pin.empty()) continue;
    if (pin == "host" && pr.host_ < 0) {
      if (error) *error = "node '" + graph.nodes[i].id + "' is pinned to 'host' but no host device was given";
      return Problem();
    }
    pr.fixed_[i] = pin == "host" ? pr.host_ : platform.FindDevice(pin);
    if (pr.fixed_[i] < 0) {
      if (error) *error = "node '" + graph.nodes[i].id + "' is pinned to unknown device '" + pin + "'";
      return Problem();
    }
  }
  pr.time_.assign(static_cast<size_t>(n) * m, 0);
  pr.min_time_.assign(n, 0);
  pr.mean_time_.assign(n, 0);
  bool integral = true;
  for (int i = 0; i < n; ++i) {
    const Node& node = graph.nodes[i];
    double lo = kUnlimited, sum = 0;
    for (int d = 0; d < m; ++d) {
      const Device& dev = platform.devices[d];
      auto it = node.time_s.find(dev.name);
      if (it == node.time_s.end()) it = node.time_s.find(dev.type);
      if (it == node.time_s.end()) it = node.time_s.find("*");
      if (it == node.time_s.end()) {
        if (error)
          *error = "node '" + node.id + "' has no time for device '" + dev.name +
                   "' (type '" + dev.type + "') and no cost model applies";
        return Problem();
      }
      double t = it->second;
      if (!(t >= 0) || !std::isfinite(t)) {
        if (error) *error = "node '" + node.id + "' has an invalid time for device '" + dev.name + "'";
        return Problem();
      }
      pr.time_[static_cast<size_t>(i) * m + d] = t;
      lo = std::min(lo, t);
      sum += t;
      integral = integral && Whole(t);
    }
    pr.min_time_[i] = pr.fixed_[i] >= 0 ? pr.time_[static_cast<size_t>(i) * m + pr.fixed_[i]] : lo;
    pr.mean_time_[i] = sum / m;
  }
  pr.mean_comm_.assign(graph.num_edges(), 0);
  for (int e = 0; e < graph.num_edges(); ++e) {
    double sum = 0;
    for (int d = 0; d < m; ++d)
      for (int f = 0; f < m; ++f) {
        if (d == f) continue;
        double c = platform.TransferTime(d, f, graph.edges[e].bytes);
        sum += c;
        integral = integral && Whole(c);
      }
    pr.mean_comm_[e] = m > 1 ? sum / (static_cast<double>(m) * (m - 1)) : 0;
  }
  pr.integral_ = integral;
  // Refine the platform's classes: equal time columns, no pinned nodes.
  {
    std::vector<int> base = platform.SymmetryClasses();
    std::vector<char> has_pin(m, 0);
    for (int i = 0; i < n; ++i)
      if (pr.fixed_[i] >= 0) has_pin[pr.fixed_[i]] = 1;
    pr.sym_.assign(m, -1);
    int next = 0;
    for (int d = 0; d < m; ++d) {
      if (pr.sym_[d] >= 0) continue;
      pr.sym_[d] = next;
      for (int f = d + 1; f < m && !has_pin[d]; ++f) {
        if (pr.sym_[f] >= 0 || has_pin[f] || base[f] != base[d]) continue;
        bool same = true;
        for (int i = 0; same && i < n; ++i)
          same = pr.time_[static_cast<size_t>(i) * m + d] == pr.time_[static_cast<size_t>(i) * m + f];
        if (same) pr.sym_[f] = next;
      }
      ++next;
    }
  }
  pr.graph_ = std::make_shared<const Graph>(std::move(graph));
  pr.platform_ = std::make_shared<const Platform>(std::move(platform));
  if (error) error->clear();
  return pr;
}

const Reachability& Problem::reach() const {
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  if (!*reach_) *reach_ = std::make_shared<Reachability>(*graph_);
  return **reach_;
}

}  // namespace diviml
