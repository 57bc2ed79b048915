// Loading a problem from the command line's --graph/--platform, and atomic
// file output (nothing half-written on failure).
#include <cstdio>
#include <fstream>

#include "diviml/cli.h"
#include "diviml/cost_model.h"
#include "diviml/onnx_import.h"
#include "diviml/io.h"
#include "diviml/problem.h"

namespace diviml {

Problem LoadProblem(const CommonArgs& args) {
  const std::string& graph_path = args.graph;
  const std::string& platform_spec = args.platform;
  if (graph_path.empty()) throw InputError("--graph: missing (a .graph.json or .stg file)");
  if (platform_spec.empty()) throw InputError("--platform: missing (a .platform.json file or identical:M)");
  Graph g = LoadGraph(graph_path);
  Platform p = LoadPlatform(platform_spec);
  if (!args.profile.empty()) ApplyProfile(g, ReadProfile(args.profile));
  if (args.coarsen) FuseTrivial(g);
  ApplyCatalogueDefaults(p);
  FillRooflineTimes(g, p);
  std::string error;
  Problem pr = Problem::Build(std::move(g), std::move(p), &error);
  if (!error.empty()) throw InputError(graph_path + ": " + error + " on platform " + platform_spec);
  return pr;
}

void WriteFileAtomic(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw InputError(path + ": cannot write");
    f << text;
    f.flush();
    if (!f) {
      std::remove(tmp.c_str());
      throw InputError(path + ": write failed");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw InputError(path + ": cannot write");
  }
}

}  // namespace diviml
