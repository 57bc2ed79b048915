// LoadProblem (include/diviml/pipeline/pipeline.h): the inputs a front end
// names become one Problem.
#include "diviml/cost/cost_model.h"
#include "diviml/io/io.h"
#include "diviml/io/llm_spec.h"
#include "diviml/io/onnx_import.h"
#include "diviml/io/profile.h"
#include "diviml/pipeline/pipeline.h"

namespace diviml {

Problem LoadProblem(const Inputs& in) {
  if (in.graph.empty()) throw InputError("--graph: missing (a .graph.json, .stg or .onnx file, zoo:NAME or randwire:SPEC)");
  if (in.platform.empty()) throw InputError("--platform: missing (a .platform.json file, identical:M, zoo:NAME or cluster:S)");
  Graph g = LoadGraph(in.graph);
  Platform p = LoadPlatform(in.platform);
  return BuildProblem(std::move(g), std::move(p), in);
}

Problem BuildProblem(Graph g, Platform p, const Inputs& in) {
  if (!in.profile.empty()) ApplyProfile(g, ReadProfile(in.profile));
  if (in.coarsen) FuseTrivial(g);
  ApplyCatalogueDefaults(p);
  // llm: graphs are timed at the model's compute dtype (tensor-core peaks,
  // as the LLM planner does, docs/llm.md); everything else at FP32.
  if (IsLlmSpec(in.graph))
    FillRooflineTimes(g, WithComputeDtype(p, ParseLlmSpec(in.graph).model.compute_dtype()));
  else
    FillRooflineTimes(g, p);
  const int host = HostDevice(p);
  std::string error;
  Problem pr = Problem::Build(std::move(g), std::move(p), &error, host);
  if (!error.empty()) throw InputError(in.graph + ": " + error + " on platform " + in.platform);
  return pr;
}

}  // namespace diviml
