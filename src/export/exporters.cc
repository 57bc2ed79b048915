// The exporter records (include/diviml/export/export.h). Adding a format =
// adding one record here.
#include "diviml/export/export.h"
#include "diviml/export/report.h"

#include "diviml/util/error.h"
#include "diviml/util/file.h"

namespace diviml {

std::string ResultSvg(const Problem& pr, const Result& r) {
  if (!r.has_plan()) return "";
  if (r.objective == Objective::kThroughput) return ThroughputGanttSvg(pr, r.throughput_plan, 3);
  GanttOptions go;
  go.title = pr.graph().name + " on " + pr.platform().name + " (" + r.solver + ")";
  go.lower_bound_s = r.lower_bound;
  return GanttSvg(pr, r.plan, r.evaluation.schedule, go);
}

const std::vector<Exporter>& Exporters() {
  static const std::vector<Exporter> exporters = {
      {"json", ".json", "the result object; as a file, the plan that `diviml eval --plan` reads",
       [](const Problem& pr, const Result& r) { return ResultToJson(pr, r).dump(1) + "\n"; }},
      {"text", ".txt", "the terminal summary", ResultText},
      {"svg", ".svg", "Gantt chart (latency: one lane per device; throughput: periods of the simulation)",
       ResultSvg},
      {"html", ".html", "self-contained HTML report: graph, Gantt, bound, devices, links (docs/report.md)",
       [](const Problem& pr, const Result& r) { return ResultHtml(pr, r); }},
      {"vllm", ".sh", "LLM plans: the vllm serve command (pipeline / tensor parallel sizes, VLLM_PP_LAYER_PARTITION) and ray lines",
       VllmExport},
      {"llamacpp", ".sh", "LLM plans: llama-server --split-mode layer --tensor-split with --device / --rpc and rpc-server lines",
       LlamaCppExport},
      {"torch-pipelining", ".py", "LLM plans: torch.distributed.pipelining split_spec and stage-to-device list",
       TorchPipeliningExport},
  };
  return exporters;
}

const Exporter* FindExporter(const std::string& name) {
  for (const Exporter& e : Exporters())
    if (e.name == name) return &e;
  return nullptr;
}

void ExportToFile(const std::string& name, const Problem& pr, const Result& r, const std::string& path) {
  const Exporter* e = FindExporter(name);
  if (!e) throw InputError("exporter '" + name + "' is unknown");
  WriteFileAtomic(path, e->write(pr, r));
}

}  // namespace diviml
