// `diviml solvers`: the registry's records as a table or JSON.
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "diviml/cli/cli.h"

namespace diviml {
namespace {

nlohmann::json Bound(double v) {
  if (std::isfinite(v)) return v;
  return nullptr;
}

}  // namespace

int RunSolvers(bool json, std::ostream& out, std::ostream& /*err*/) {
  if (json) {
    nlohmann::json list = nlohmann::json::array();
    for (const SolverRecord& r : SolverRegistry()) {
      nlohmann::json objs = nlohmann::json::array();
      for (Objective o : r.objectives) objs.push_back(ObjectiveName(o));
      nlohmann::json params = nlohmann::json::array();
      for (const ParamSpec& p : r.params) {
        nlohmann::json q = {{"name", p.name},       {"type", ParamTypeName(p.type)}, {"unit", p.unit},
                            {"default", p.default_value}, {"description", p.description},
                            {"objectives", {"latency"}}};
        if (p.type == ParamType::kInt || p.type == ParamType::kDouble) {
          q["min"] = Bound(p.min);
          q["max"] = Bound(p.max);
        }
        if (p.type == ParamType::kChoice) q["choices"] = p.choices;
        params.push_back(q);
      }
      list.push_back({{"name", r.name},
                      {"objectives", objs},
                      {"description", r.description},
                      {"reference", r.reference},
                      {"parameters", params}});
    }
    out << nlohmann::json{{"solvers", list}}.dump() << "\n";
    return 0;
  }
  for (const SolverRecord& r : SolverRegistry()) {
    std::string objs;
    for (Objective o : r.objectives) objs += (objs.empty() ? "" : ", ") + std::string(ObjectiveName(o));
    out << fmt::format("{:<13} {} [{}] ({})\n", r.name, r.description, objs, r.reference);
    for (const ParamSpec& p : r.params) {
      std::string range;
      if (p.type == ParamType::kChoice) {
        for (const auto& c : p.choices) range += (range.empty() ? "" : "|") + c;
      } else if (p.type != ParamType::kBool) {
        range = fmt::format("[{}, {}]", p.min, p.max);
      }
      out << fmt::format("  --param {}={:<8} {} {}{}{}: {}\n", p.name, p.default_value, ParamTypeName(p.type),
                         range, p.unit.empty() ? "" : " ", p.unit, p.description);
    }
  }
  return 0;
}

}  // namespace diviml
