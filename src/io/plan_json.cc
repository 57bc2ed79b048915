// Plan reader (diviml-plan-v1). Errors are InputError "FILE: problem".
#include <algorithm>
#include <nlohmann/json.hpp>

#include "diviml/io/io.h"
#include "diviml/io/plan_io.h"

namespace diviml {
namespace {

[[noreturn]] void Fail(const std::string& source, const std::string& what) {
  throw InputError(source + ": " + what);
}

int NodeOf(const Problem& pr, const nlohmann::json& v, const std::string& source, const std::string& where) {
  if (!v.is_string()) Fail(source, "expected a node id (" + where + ")");
  int i = pr.graph().FindNode(v.get<std::string>());
  if (i < 0) Fail(source, "unknown node '" + v.get<std::string>() + "' (" + where + ")");
  return i;
}

int DeviceOf(const Problem& pr, const nlohmann::json& v, const std::string& source, const std::string& where) {
  if (!v.is_string()) Fail(source, "expected a device name (" + where + ")");
  int d = pr.platform().FindDevice(v.get<std::string>());
  if (d < 0) Fail(source, "unknown device '" + v.get<std::string>() + "' (" + where + ")");
  return d;
}

}  // namespace

Plan ParsePlanJson(const std::string& text, const std::string& source, const Problem& pr) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {  // parse_error; out_of_range on number overflow
    Fail(source, std::string("malformed JSON: ") + e.what());
  }
  if (!j.is_object()) Fail(source, "a plan must be a JSON object");
  if (j.contains("format") && j["format"] != "diviml-plan-v1")
    Fail(source, "unknown format '" + j["format"].dump() + "' (expected diviml-plan-v1)");
  if (!j.contains("assignment") || !j["assignment"].is_object())
    Fail(source, "missing object 'assignment' {node: device}");
  const int n = pr.n(), m = pr.m();
  std::vector<int> device(n, -1);
  for (auto& [node, dev] : j["assignment"].items()) {
    int i = NodeOf(pr, node, source, "assignment");
    device[i] = DeviceOf(pr, dev, source, "assignment." + node);
  }
  for (int i = 0; i < n; ++i)
    if (device[i] < 0) Fail(source, "node '" + pr.graph().nodes[i].id + "' has no device (assignment)");

  Plan plan;
  if (j.contains("order")) {
    if (!j["order"].is_object()) Fail(source, "'order' must be {device: [nodes]}");
    plan.device = device;
    plan.order.assign(m, {});
    for (auto& [dev, list] : j["order"].items()) {
      int d = DeviceOf(pr, dev, source, "order");
      if (!list.is_array()) Fail(source, "order." + dev + " must be a list of nodes");
      for (const auto& v : list) plan.order[d].push_back(NodeOf(pr, v, source, "order." + dev));
    }
    return plan;
  }
  std::vector<int> priority;
  if (j.contains("schedule")) {
    if (!j["schedule"].is_array()) Fail(source, "'schedule' must be a list");
    std::vector<std::pair<double, int>> starts;
    size_t k = 0;
    for (const auto& e : j["schedule"]) {
      std::string where = "schedule[" + std::to_string(k++) + "]";
      if (!e.is_object() || !e.contains("node") || !e.contains("start_s") || !e["start_s"].is_number())
        Fail(source, "each schedule entry needs node and start_s (" + where + ")");
      starts.emplace_back(e["start_s"].get<double>(), NodeOf(pr, e["node"], source, where));
    }
    std::stable_sort(starts.begin(), starts.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [t, v] : starts) priority.push_back(v);
  } else if (j.contains("priority")) {
    if (!j["priority"].is_array()) Fail(source, "'priority' must be a list of nodes");
    for (const auto& v : j["priority"]) priority.push_back(NodeOf(pr, v, source, "priority"));
  } else {
    Fail(source, "needs 'order', 'schedule' or 'priority' to fix the order on each device");
  }
  return Plan::FromPriority(device, priority, m);
}

}  // namespace diviml
