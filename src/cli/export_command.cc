// `diviml export --graph MODEL --plan PLAN --format onnx-parts --out DIR`:
// a plan as artifacts a runtime executes (include/diviml/export/onnx_parts.h).
#include <fmt/format.h>

#include "diviml/cli/cli.h"
#include "diviml/export/onnx_parts.h"
#include "diviml/util/error.h"

namespace diviml {

int RunExport(const ExportArgs& a, std::ostream& out, std::ostream& err) {
  try {
    if (a.format != "onnx-parts") throw InputError("--format: '" + a.format + "' is not supported (onnx-parts)");
    if (a.graph.empty()) throw InputError("--graph: missing (an .onnx file or zoo:NAME)");
    if (a.plan.empty()) throw InputError("--plan: missing (a latency plan JSON from `diviml solve --out`)");
    if (a.out.empty()) throw InputError("--out: missing (the directory for the parts)");
    OnnxPartsOptions o;
    o.seed = a.seed;
    if (a.fill_weights == "auto") o.fill = WeightFill::kAuto;
    else if (a.fill_weights == "random") o.fill = WeightFill::kRandom;
    else if (a.fill_weights == "none") o.fill = WeightFill::kNone;
    else throw InputError("--fill-weights: '" + a.fill_weights + "' is not one of auto, random, none");
    const nlohmann::json m = ExportOnnxParts(a.graph, a.plan, a.out, o);
    if (a.json) {
      out << m.dump() << "\n";
    } else {
      out << fmt::format("{}: {} parts on {} devices, {} crossing tensors, {} initializers filled -> {}/manifest.json\n",
                         m["graph"].get<std::string>(), m["parts"].size(), m["devices"].size(),
                         m["tensors"].size(), m["initializers_filled"].get<int>(), a.out);
    }
    return 0;
  } catch (const InputError& e) {
    err << "diviml: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace diviml
