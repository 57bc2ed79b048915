// Readers and writers of the formats of docs/formats.md. Every reader
// throws InputError with a one-line message "FILE: problem (where)" on bad
// input; nothing is half-read.
#pragma once

#include <string>

#include "diviml/graph/graph.h"
#include "diviml/util/error.h"
#include "diviml/util/file.h"
#include "diviml/core/plan.h"
#include "diviml/platform/platform.h"

namespace diviml {

// diviml-graph-v1 JSON from text; `source` names the file in messages.
Graph ParseGraphJson(const std::string& text, const std::string& source);
// Kasahara STG text. Dummy entry/exit tasks (cost 0) are kept; edges carry
// 0 bytes. Node ids are the STG task numbers as strings.
Graph ParseStg(const std::string& text, const std::string& source);
// diviml-platform-v1 JSON.
Platform ParsePlatformJson(const std::string& text, const std::string& source);

// By path: .stg -> STG, .onnx -> ONNX import, zoo:NAME -> a bundled model,
// randwire:SPEC -> a generated network, llm:SPEC -> a language model's
// layer (or operator) chain (include/diviml/io/llm_spec.h), otherwise JSON graph.
// Missing file -> InputError.
Graph LoadGraph(const std::string& path);
// The link latency of host:NxC platforms: the median cost of handing a
// tensor from one runner worker to another on this machine, measured by
// `python -m diviml handoff` (docs/runtime.md).
constexpr double kHostHandoffLatencyS = 4e-5;  // 40-44 us measured 2026-12-01 (loaded machine)

// By path or spec: "identical:M", "host:NxC" (N CPU devices of C cores),
// "zoo:NAME", "cluster:S", "cluster:paper:S"
// (S paper servers: Xeon + RTX 2080 Ti + GTX 1080 Ti), "cluster:mixed"
// (4 x {Xeon, A100 80GB, T4} + 2 x {Xeon, 2 x L4}), all on 100 GbE, or a
// platform JSON file.
Platform LoadPlatform(const std::string& spec);


}  // namespace diviml
