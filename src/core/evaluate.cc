// Evaluate(): recompute the schedule of a plan and list its violations.
// Semantics (docs/model.md): a device runs its nodes one at a time in the
// plan's order; a node starts when its device is free and every input has
// arrived (producer's end + transfer time, 0 on one device). Memory: the
// parameters of all nodes on a device plus the largest memory_bytes of one
// of them (activations/workspace live one node at a time) must fit.
// O(V + E) after the O(V) structural checks.
#include "diviml/core/evaluate.h"

#include <algorithm>
#include <string>

namespace diviml {
namespace {

bool CheckStructure(const Problem& pr, const Plan& plan, Evaluation* out) {
  const Graph& g = pr.graph();
  const int n = pr.n(), m = pr.m();
  auto node_name = [&](int v) { return "'" + g.nodes[v].id + "'"; };
  if (static_cast<int>(plan.device.size()) != n) {
    out->Add(ViolationCode::kShape, "plan assigns " + std::to_string(plan.device.size()) + " nodes, graph has " +
                   std::to_string(n));
    return false;
  }
  bool ok = true;
  for (int v = 0; v < n; ++v) {
    if (plan.device[v] < 0 || plan.device[v] >= m) {
      out->Add(ViolationCode::kNoDevice, "node " + node_name(v) + " has no device or an unknown one");
      ok = false;
    } else if (!pr.allowed(v, plan.device[v])) {
      out->Add(ViolationCode::kPinned, "node " + node_name(v) + " is pinned to device '" +
                     pr.platform().devices[pr.fixed_device(v)].name + "'");
      ok = false;
    }
  }
  if (static_cast<int>(plan.order.size()) != m) {
    out->Add(ViolationCode::kShape, "plan has orders for " + std::to_string(plan.order.size()) +
                   " devices, platform has " + std::to_string(m));
    return false;
  }
  std::vector<int> seen(n, 0);
  for (int d = 0; d < m; ++d) {
    for (int v : plan.order[d]) {
      if (v < 0 || v >= n) {
        out->Add(ViolationCode::kOrder, "order of device '" + pr.platform().devices[d].name + "' names a missing node");
        ok = false;
        continue;
      }
      if (++seen[v] > 1) {
        out->Add(ViolationCode::kOrder, "node " + node_name(v) + " appears more than once in the orders");
        ok = false;
      }
      if (plan.device[v] != d) {
        out->Add(ViolationCode::kOrder, "node " + node_name(v) + " is ordered on device '" +
                       pr.platform().devices[d].name + "' but assigned elsewhere");
        ok = false;
      }
    }
  }
  for (int v = 0; v < n; ++v)
    if (seen[v] == 0) {
      out->Add(ViolationCode::kOrder, "node " + node_name(v) + " is missing from the device orders");
      ok = false;
    }
  return ok;
}

}  // namespace

Evaluation Evaluate(const Problem& pr, const Plan& plan) {
  Evaluation ev;
  const Graph& g = pr.graph();
  const int n = pr.n(), m = pr.m();
  if (!CheckStructure(pr, plan, &ev)) return ev;

  std::vector<int> pos_in_order(n), missing_inputs(n);
  for (int d = 0; d < m; ++d)
    for (size_t k = 0; k < plan.order[d].size(); ++k) pos_in_order[plan.order[d][k]] = static_cast<int>(k);
  for (int v = 0; v < n; ++v) missing_inputs[v] = g.in_degree(v);

  Schedule& s = ev.schedule;
  s.start_s.assign(n, 0);
  s.end_s.assign(n, 0);
  std::vector<double> ready(n, 0), device_free(m, 0);
  std::vector<size_t> head(m, 0);
  std::vector<int> stack;
  auto try_push = [&](int v) {
    int d = plan.device[v];
    if (missing_inputs[v] == 0 && pos_in_order[v] == static_cast<int>(head[d])) stack.push_back(v);
  };
  for (int d = 0; d < m; ++d)
    if (!plan.order[d].empty()) try_push(plan.order[d][0]);
  int done = 0;
  while (!stack.empty()) {
    int v = stack.back();
    stack.pop_back();
    int d = plan.device[v];
    s.start_s[v] = std::max(ready[v], device_free[d]);
    s.end_s[v] = s.start_s[v] + pr.p(v, d);
    device_free[d] = s.end_s[v];
    ++done;
    for (int e : g.out_edges(v)) {
      int w = g.edges[e].to;
      int f = plan.device[w];
      double arrive = s.end_s[v] + pr.comm(e, d, f);
      if (f != d) s.transfers.push_back(Transfer{e, d, f, s.end_s[v], arrive});
      ready[w] = std::max(ready[w], arrive);
      --missing_inputs[w];
      try_push(w);
    }
    if (++head[d] < plan.order[d].size()) try_push(plan.order[d][head[d]]);
  }
  if (done < n) {
    for (int d = 0; d < m; ++d) {
      if (head[d] >= plan.order[d].size()) continue;
      int v = plan.order[d][head[d]];
      ev.Add(ViolationCode::kDeadlock, "order on device '" + pr.platform().devices[d].name +
                              "' contradicts the graph: node '" + g.nodes[v].id +
                              "' waits for an input scheduled after it");
    }
    return ev;
  }
  ev.device_busy_s.assign(m, 0);
  ev.device_param_bytes.assign(m, 0);
  std::vector<double> workspace(m, 0);
  for (int v = 0; v < n; ++v) {
    int d = plan.device[v];
    ev.device_busy_s[d] += pr.p(v, d);
    ev.device_param_bytes[d] += g.nodes[v].param_bytes;
    workspace[d] = std::max(workspace[d], g.nodes[v].memory_bytes);
    s.makespan_s = std::max(s.makespan_s, s.end_s[v]);
  }
  for (int d = 0; d < m; ++d) {
    const Device& dev = pr.platform().devices[d];
    double used = ev.device_param_bytes[d] + workspace[d];
    if (used > dev.memory_bytes)
      ev.Add(ViolationCode::kMemory, "device '" + dev.name + "' needs " + std::to_string(used) +
                              " bytes, capacity " + std::to_string(dev.memory_bytes));
  }
  ev.makespan_s = s.makespan_s;
  ev.valid = ev.violations.empty();
  return ev;
}

}  // namespace diviml

namespace diviml {

void Evaluation::Add(ViolationCode code, std::string text) {
  violation_codes.push_back(code);
  violations.push_back(std::move(text));
}

const char* ViolationCodeName(ViolationCode c) {
  switch (c) {
    case ViolationCode::kShape: return "shape";
    case ViolationCode::kNoDevice: return "no_device";
    case ViolationCode::kPinned: return "pinned";
    case ViolationCode::kOrder: return "order";
    case ViolationCode::kDeadlock: return "deadlock";
    case ViolationCode::kMemory: return "memory";
  }
  return "order";
}

}  // namespace diviml
