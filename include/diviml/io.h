// Readers and writers of the formats of SPEC.md section 7. Every reader
// throws InputError with a one-line message "FILE: problem (where)" on bad
// input; nothing is half-read.
#pragma once

#include <stdexcept>
#include <string>

#include "diviml/graph.h"
#include "diviml/plan.h"
#include "diviml/platform.h"

namespace diviml {

class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// diviml-graph-v1 JSON from text; `source` names the file in messages.
Graph ParseGraphJson(const std::string& text, const std::string& source);
// Kasahara STG text. Dummy entry/exit tasks (cost 0) are kept; edges carry
// 0 bytes. Node ids are the STG task numbers as strings.
Graph ParseStg(const std::string& text, const std::string& source);
// diviml-platform-v1 JSON.
Platform ParsePlatformJson(const std::string& text, const std::string& source);

// By path: .stg -> STG, .onnx -> ONNX import, zoo:NAME -> a bundled model,
// randwire:SPEC -> a generated network, otherwise JSON graph.
// Missing file -> InputError.
Graph LoadGraph(const std::string& path);
// By path or spec: "identical:M", "zoo:NAME", "cluster:S" or a platform
// JSON file.
Platform LoadPlatform(const std::string& spec);

// Reads a whole file; InputError naming it when it cannot be read.
std::string ReadFile(const std::string& path);

}  // namespace diviml
