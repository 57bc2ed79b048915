// Reading a throughput plan file (include/diviml/io/plan_io.h).
#include <nlohmann/json.hpp>

#include "diviml/io/plan_io.h"
#include "diviml/util/error.h"

namespace diviml {

ThroughputPlan ParseThroughputPlanJson(const std::string& text, const std::string& source,
                                       const Problem& pr) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {  // parse_error; out_of_range on number overflow
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
