// `diviml bound`: every lower bound with its parts, and the best.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "diviml/cli/cli.h"
#include "diviml/util/error.h"

namespace diviml {

int RunBound(const BoundArgs& a, std::ostream& out, std::ostream& err) {
  try {
    Problem pr = LoadProblem(a);
    const BoundReport b = Bound(pr, a.module_exact_s, "", a.threads);
    if (a.json) {
      nlohmann::json j;
      j["graph"] = pr.graph().name;
      j["platform"] = pr.platform().name;
      j["lower_bound_s"] = b.best_s;
      j["best"] = b.best_name;
      nlohmann::json parts = nlohmann::json::array();
      for (const auto& p : b.parts) parts.push_back({{"name", p.name}, {"value_s", p.value_s}, {"detail", p.detail}});
      j["parts"] = parts;
      out << j.dump() << "\n";
    } else {
      out << fmt::format("graph {} ({} nodes) on platform {} ({} devices)\n", pr.graph().name, pr.n(),
                         pr.platform().name, pr.m());
      for (const auto& p : b.parts)
        out << fmt::format("  {:<14} {:>12.6g} s  {}\n", p.name, p.value_s, p.detail);
      out << fmt::format("lower bound {:.6g} s ({})\n", b.best_s, b.best_name);
    }
    return 0;
  } catch (const InputError& e) {
    err << "diviml: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace diviml
