// The fuzz targets (fuzz/targets.h). Spec parsers are fuzzed through their
// parsing and validation only: generating a graph of the n a fuzzer writes
// would measure memory, not find bugs.
#include "targets.h"

#include <string>

#include "diviml/gen/randwire.h"
#include "diviml/io/io.h"
#include "diviml/io/llm_spec.h"
#include "diviml/io/onnx_import.h"
#include "diviml/io/plan_io.h"
#include "diviml/io/profile.h"
#include "diviml/pipeline/pipeline.h"
#include "diviml/util/error.h"

namespace diviml::fuzz {
namespace {

std::string Text(std::string_view d) { return std::string(d); }

// The problem plans are read against: the bundled Topcuoglu example.
const Problem& PlanProblem() {
  static const Problem pr = [] {
    Inputs in;
    in.graph = std::string(DIVIML_SOURCE_DIR) + "/tests/data/topcuoglu10.graph.json";
    in.platform = std::string(DIVIML_SOURCE_DIR) + "/tests/data/topcuoglu10.platform.json";
    return LoadProblem(in);
  }();
  return pr;
}

void GraphJson(std::string_view d) { ParseGraphJson(Text(d), "fuzz.graph.json"); }
void PlatformJson(std::string_view d) { ParsePlatformJson(Text(d), "fuzz.platform.json"); }
void PlanJson(std::string_view d) {
  const std::string t = Text(d);
  try {
    ParsePlanJson(t, "fuzz.plan.json", PlanProblem());
  } catch (const InputError&) {
  }
  ParseThroughputPlanJson(t, "fuzz.plan.json", PlanProblem());
}
void ProfileJson(std::string_view d) { ParseProfileJson(Text(d), "fuzz.profile.json"); }
void ProfileCsv(std::string_view d) { ParseProfileCsv(Text(d), "fuzz.profile.csv"); }
void Stg(std::string_view d) { ParseStg(Text(d), "fuzz.stg"); }
void Onnx(std::string_view d) {
  std::vector<std::string> warnings;
  ImportOnnxBytes(d, "fuzz.onnx", {}, &warnings);
}
// The first byte picks the spec kind, the rest is its argument.
void Specs(std::string_view d) {
  if (d.empty()) return;
  const std::string arg = Text(d.substr(1));
  switch (static_cast<unsigned char>(d[0]) % 4) {
    case 0: ValidateRandWireOptions(ParseRandWireSpec("randwire:" + arg)); break;
    case 1: LoadPlatform("identical:" + arg); break;
    case 2: LoadPlatform("zoo:" + arg); break;
    default: LoadPlatform("cluster:" + arg); break;
  }
}

// The LLM readers: a first byte of 1 makes the rest an `llm:` spec (parsed
// only; a name with '/' would read a file the fuzzer names, skipped), any
// other first byte makes the whole input a Hugging Face config.json.
void LlmConfig(std::string_view d) {
  if (!d.empty() && d[0] == '\001') {
    const std::string arg = Text(d.substr(1));
    if (arg.find('/') == std::string::npos) ParseLlmSpec("llm:" + arg);
    return;
  }
  ParseHfConfig(Text(d), "fuzz.config.json");
}

}  // namespace

const std::vector<Target>& Targets() {
  static const std::vector<Target> all = {
      {"graph_json", GraphJson, {"tests/data/*.graph.json", "tests/fuzz/graph_json/*"}},
      {"platform_json", PlatformJson, {"tests/data/*.platform.json", "zoo/platforms/*.json", "tests/fuzz/platform_json/*"}},
      {"plan_json", PlanJson, {"tests/fuzz/plan_json/*"}},
      {"profile_json", ProfileJson, {"zoo/profiles/*.cpu.json", "tests/fuzz/profile_json/*"}},
      {"profile_csv", ProfileCsv, {"zoo/profiles/*.csv", "tests/fuzz/profile_csv/*"}},
      {"stg", Stg, {"tests/data/stg50/rand000*.stg", "tests/fuzz/stg/*"}},
      {"onnx", Onnx, {"zoo/models/squeezenet1_1.onnx", "tests/fuzz/onnx/*"}},
      {"specs", Specs, {"tests/fuzz/specs/*"}},
      {"llm_config", LlmConfig, {"tests/fuzz/llm_config/*"}},
  };
  return all;
}

const Target* FindTarget(std::string_view name) {
  for (const Target& t : Targets())
    if (name == t.name) return &t;
  return nullptr;
}

}  // namespace diviml::fuzz
