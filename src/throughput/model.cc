// Period evaluation, per-replica latency and the throughput plan format.
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>

#include "diviml/evaluate.h"
#include "diviml/io.h"
#include "diviml/throughput.h"

namespace diviml {

PeriodInfo EvaluatePeriod(const Problem& pr, const ThroughputPlan& plan) {
  const int n = pr.n(), m = pr.m(), R = plan.replicas();
  const Graph& g = pr.graph();
  PeriodInfo info;
  info.device_load_s.assign(m, 0);
  info.link_load_s.assign(static_cast<size_t>(m) * m, 0);
  info.device_param_bytes.assign(m, 0);
  if (R < 1) {
    info.violations.push_back("no replicas");
    return info;
  }
  std::vector<char> weights(static_cast<size_t>(n) * m, 0);
  for (int r = 0; r < R; ++r) {
    const auto& dev = plan.device[r];
    if (static_cast<int>(dev.size()) != n) {
      info.violations.push_back("replica " + std::to_string(r) + " does not place every node");
      return info;
    }
    for (int i = 0; i < n; ++i) {
      int d = dev[i];
      if (d < 0 || d >= m) {
        info.violations.push_back("replica " + std::to_string(r) + ": node " + g.nodes[i].id + " has no device");
        return info;
      }
      if (!pr.allowed(i, d))
        info.violations.push_back("replica " + std::to_string(r) + ": node " + g.nodes[i].id +
                                  " is pinned to " + pr.platform().devices[pr.fixed_device(i)].name);
      info.device_load_s[d] += pr.p(i, d);
      if (!weights[static_cast<size_t>(i) * m + d]) {
        weights[static_cast<size_t>(i) * m + d] = 1;
        info.device_param_bytes[d] += g.nodes[i].param_bytes;
      }
    }
    for (int e = 0; e < g.num_edges(); ++e) {
      int d = dev[g.edges[e].from], f = dev[g.edges[e].to];
      if (d != f) info.link_load_s[static_cast<size_t>(d) * m + f] += pr.comm(e, d, f);
    }
  }
  for (int d = 0; d < m; ++d) {
    double cap = pr.platform().devices[d].memory_bytes;
    if (info.device_param_bytes[d] > cap * (1 + 1e-12))
      info.violations.push_back("memory: " + pr.platform().devices[d].name + " holds " +
                                std::to_string(info.device_param_bytes[d]) + " bytes of weights > capacity " +
                                std::to_string(cap));
  }
  double P = 0;
  for (int d = 0; d < m; ++d)
    if (info.device_load_s[d] > P) {
      P = info.device_load_s[d];
      info.bottleneck = "device " + pr.platform().devices[d].name;
    }
  for (int d = 0; d < m; ++d)
    for (int f = 0; f < m; ++f)
      if (info.link_load_s[static_cast<size_t>(d) * m + f] > P) {
        P = info.link_load_s[static_cast<size_t>(d) * m + f];
        info.bottleneck = "link " + pr.platform().devices[d].name + "->" + pr.platform().devices[f].name;
      }
  info.period_s = P;
  info.throughput_per_s = P > 0 ? R / P : INFINITY;
  info.valid = info.violations.empty();
  return info;
}

Plan ReplicaPlan(const Problem& pr, const std::vector<int>& dev) {
  const Graph& g = pr.graph();
  const int n = pr.n();
  std::vector<double> bl(n, 0);
  const auto& topo = g.topo_order();
  for (int k = n - 1; k >= 0; --k) {
    int i = topo[k];
    double best = 0;
    for (int e : g.out_edges(i)) {
      int j = g.edges[e].to;
      best = std::max(best, pr.comm(e, dev[i], dev[j]) + bl[j]);
    }
    bl[i] = pr.p(i, dev[i]) + best;
  }
  std::vector<int> prio(n);
  std::iota(prio.begin(), prio.end(), 0);
  const auto& pos = g.topo_index();
  std::sort(prio.begin(), prio.end(), [&](int a, int b) {
    if (bl[a] != bl[b]) return bl[a] > bl[b];
    return pos[a] < pos[b];
  });
  // A tie in bottom level between a node and its successor (zero-time
  // nodes) is broken by topological position, but a strictly larger bl
  // of a successor cannot happen, so the list respects precedence.
  return Plan::FromPriority(dev, prio, pr.m());
}

double ReplicaLatency(const Problem& pr, const std::vector<int>& dev) {
  Evaluation ev = Evaluate(pr, ReplicaPlan(pr, dev));
  return ev.valid ? ev.makespan_s : INFINITY;
}

std::string ThroughputPlanJson(const Problem& pr, const ThroughputResult& r) {
  const Graph& g = pr.graph();
  const auto& devs = pr.platform().devices;
  nlohmann::json j;
  j["format"] = "diviml-plan-v1";
  j["objective"] = "throughput";
  j["solver"] = r.solver;
  j["status"] = StatusName(r.status);
  j["replicas"] = r.plan.replicas();
  j["period_s"] = r.period_s;
  j["throughput_per_s"] = r.throughput_per_s;
  nlohmann::json ra = nlohmann::json::array();
  for (const auto& dev : r.plan.device) {
    nlohmann::json a = nlohmann::json::object();
    for (int i = 0; i < pr.n(); ++i) a[g.nodes[i].id] = devs[dev[i]].name;
    ra.push_back(a);
  }
  j["replica_assignment"] = ra;
  if (r.plan.replicas() > 0) {
    j["assignment"] = ra[0];
    Plan p0 = ReplicaPlan(pr, r.plan.device[0]);
    nlohmann::json order = nlohmann::json::object();
    for (int d = 0; d < pr.m(); ++d) {
      nlohmann::json l = nlohmann::json::array();
      for (int i : p0.order[d]) l.push_back(g.nodes[i].id);
      order[devs[d].name] = l;
    }
    j["order"] = order;
  }
  return j.dump(1) + "\n";
}

ThroughputPlan ParseThroughputPlanJson(const std::string& text, const std::string& source,
                                       const Problem& pr) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(source + ": malformed JSON: " + e.what());
  }
  if (!j.is_object()) throw InputError(source + ": a plan must be a JSON object");
  std::vector<nlohmann::json> list;
  if (j.contains("replica_assignment")) {
    if (!j["replica_assignment"].is_array() || j["replica_assignment"].empty())
      throw InputError(source + ": 'replica_assignment' must be a non-empty list of {node: device}");
    for (const auto& a : j["replica_assignment"]) list.push_back(a);
    if (j.contains("replicas") && (!j["replicas"].is_number_integer() ||
                                   j["replicas"].get<long long>() != static_cast<long long>(list.size())))
      throw InputError(source + ": 'replicas' does not match the length of 'replica_assignment'");
  } else if (j.contains("assignment")) {
    list.push_back(j["assignment"]);
  } else {
    throw InputError(source + ": missing 'replica_assignment' (or 'assignment')");
  }
  ThroughputPlan plan;
  for (size_t r = 0; r < list.size(); ++r) {
    const std::string where = "replica_assignment[" + std::to_string(r) + "]";
    if (!list[r].is_object()) throw InputError(source + ": " + where + " must be {node: device}");
    std::vector<int> dev(pr.n(), -1);
    for (auto& [node, d] : list[r].items()) {
      int i = pr.graph().FindNode(node);
      if (i < 0) throw InputError(source + ": unknown node '" + node + "' (" + where + ")");
      if (!d.is_string()) throw InputError(source + ": expected a device name (" + where + "." + node + ")");
      int k = pr.platform().FindDevice(d.get<std::string>());
      if (k < 0)
        throw InputError(source + ": unknown device '" + d.get<std::string>() + "' (" + where + "." + node + ")");
      dev[i] = k;
    }
    for (int i = 0; i < pr.n(); ++i)
      if (dev[i] < 0)
        throw InputError(source + ": node '" + pr.graph().nodes[i].id + "' has no device (" + where + ")");
    plan.device.push_back(std::move(dev));
  }
  return plan;
}

}  // namespace diviml
