// A Problem of a graph spec (zoo:NAME, randwire:SPEC, a file) on the
// bundled `paper` platform, through the pipeline's LoadProblem (as the CLI
// loads it), for the tests that run real graphs.
#pragma once

#include <string>

#include "diviml/pipeline/pipeline.h"

namespace diviml::testutil {

inline Problem LoadOn(const std::string& graph, const std::string& platform) {
  Inputs in;
  in.graph = graph;
  in.platform = platform;
  return LoadProblem(in);
}

inline Problem LoadOnPaper(const std::string& graph) { return LoadOn(graph, "zoo:paper"); }

}  // namespace diviml::testutil
