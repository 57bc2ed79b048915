// Exporters: a checked Result (include/diviml/pipeline/pipeline.h) written
// in one format. Every format is one record in Exporters(), so an HTML
// report, per-device ONNX parts or runtime configs are added as new records
// without touching a solver or the pipeline.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "diviml/pipeline/pipeline.h"

namespace diviml {

struct Exporter {
  std::string name;         // "json", "text", "svg"
  std::string extension;    // ".json", ".txt", ".svg"
  std::string description;  // one line
  std::string (*write)(const Problem& problem, const Result& result);
};

// Every exporter, in the order `diviml solve --help` lists them.
const std::vector<Exporter>& Exporters();
// nullptr for an unknown name.
const Exporter* FindExporter(const std::string& name);
// Writes the named exporter's text to path atomically (nothing
// half-written); InputError for an unknown exporter or an unwritable path.
void ExportToFile(const std::string& exporter, const Problem& problem, const Result& result,
                  const std::string& path);

// The JSON object of a result (the CLI's --json, the plan file
// "diviml-plan-v1" that `diviml eval --plan` reads back; keys in
// docs/formats.md). Latency: {format, graph, platform, solver, objective,
// status, makespan_s, lower_bound_s, gap, bound_above_plan, solve_time_s,
// bounds, lower_bound_source, params, assignment, order, schedule,
// transfers}; throughput: the period figures and replica_assignment.
// Undefined numbers (no plan, no gap) are null, never -1.
nlohmann::json ResultToJson(const Problem& problem, const Result& result);

// LLM plans (Result::llm, src/export/llm_export.cc; docs/llm.md): the JSON
// object (format diviml-llm-plan-v1: stages, servers, devices, layer
// ranges, predicted latency / throughput, memory per device), the terminal
// summary, and the runtime configs. The runtime writers throw InputError
// for a result without an LLM plan or a plan the runtime cannot run.
nlohmann::json LlmResultJson(const Problem& problem, const Result& result);
std::string LlmResultText(const Problem& problem, const Result& result);
std::string VllmExport(const Problem& problem, const Result& result);
std::string LlamaCppExport(const Problem& problem, const Result& result);
std::string TorchPipeliningExport(const Problem& problem, const Result& result);

// The human summary for the terminal.
std::string ResultText(const Problem& problem, const Result& result);

// The Gantt chart: latency plans one lane per device with transfers, the
// makespan and the lower bound; throughput plans `periods` periods of the
// saturated simulation. "" when the result has no plan.
std::string ResultSvg(const Problem& problem, const Result& result);

// The two charts themselves.
struct GanttOptions {
  std::string title;
  double lower_bound_s = 0;  // marked with a dashed line when > 0
};
std::string GanttSvg(const Problem& problem, const Plan& plan, const Schedule& schedule,
                     const GanttOptions& options);
std::string ThroughputGanttSvg(const Problem& problem, const ThroughputPlan& plan, int periods = 3);

}  // namespace diviml
