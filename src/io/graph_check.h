// Final checks shared by the graph readers (JSON and STG): finds a directed
// cycle and names the nodes on it, then runs Graph::Finalize(). Internal to
// src/io.
#pragma once

#include <string>

#include "diviml/graph/graph.h"

namespace diviml::io {

// Throws InputError "source: cycle a -> b -> a (where)" when the graph has
// a cycle, or wraps any other Finalize() error. O(V + E).
void FinalizeOrThrow(Graph& graph, const std::string& source, const std::string& where);

}  // namespace diviml::io
