// Loading inputs by path: ReadFile, LoadGraph (".stg" -> STG, ".onnx" ->
// ONNX import, "zoo:NAME" -> a bundled model, "randwire:SPEC" -> a generated
// randomly-wired network, "llm:SPEC" -> an LLM chain (include/diviml/io/llm_spec.h), else graph JSON) and LoadPlatform ("zoo:NAME" ->
// a bundled preset, "cluster:S" -> S `modern` servers on 100 GbE, "cluster:paper:S"
// and "cluster:mixed" (src/io/llm_cluster.cc), "identical:M" -> M identical devices with free
// transfers, else a platform JSON file).
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "diviml/io/io.h"
#include "diviml/platform/cluster.h"
#include "diviml/cost/cost_model.h"
#include "diviml/io/onnx_import.h"
#include "diviml/gen/randwire.h"
#include "diviml/io/llm_spec.h"
#include "diviml/io/zoo.h"
#include "io/json_check.h"

namespace diviml {

Platform LoadLlmClusterPreset(const std::string& spec);  // src/io/llm_cluster.cc

Graph LoadGraph(const std::string& path) {
  if (path.rfind("zoo:", 0) == 0) return ImportOnnx(ZooModelPath(path.substr(4)));
  if (IsLlmSpec(path)) return LlmSpecGraph(ParseLlmSpec(path));
  if (path.rfind("randwire:", 0) == 0) return RandWire(ParseRandWireSpec(path.substr(9)));
  const std::string ext = LowerExtension(path);
  if (ext == ".onnx") return ImportOnnx(path);
  std::string text = ReadFile(path);
  if (ext == ".stg") return ParseStg(text, path);
  return ParseGraphJson(text, path);
}

// "host:NxC": N CPU devices cpu0..cpuN-1 of C cores each on this machine,
// type "host-Cc" (profiles name that type), one server, linked by the
// measured cost of handing a tensor between two runner workers
// (docs/runtime.md): tensors cross in shared memory, so the link is a
// latency only.
static Platform HostPlatform(const std::string& spec) {
  const std::string body = spec.substr(5);
  const size_t x = body.find('x');
  int n = 0, c = 0;
  auto parse = [](const std::string& s, int* v) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
    return !s.empty() && ec == std::errc() && end == s.data() + s.size() && *v >= 1 && *v <= 256;
  };
  if (x == std::string::npos || !parse(body.substr(0, x), &n) || !parse(body.substr(x + 1), &c))
    io::Fail(spec, "expected host:NxC with N devices of C cores (1..256), e.g. host:2x1", "host:NxC platform");
  Platform p;
  p.name = "host_" + std::to_string(n) + "x" + std::to_string(c);
  for (int i = 0; i < n; ++i) {
    Device d;
    d.name = "cpu" + std::to_string(i);
    d.type = "host-" + std::to_string(c) + "c";
    d.server = "host";
    p.devices.push_back(d);
  }
  Link link;
  link.latency_s = kHostHandoffLatencyS;
  p.SetDefaultLink(link);
  return p;
}

Platform LoadPlatform(const std::string& spec) {
  const std::string prefix = "identical:";
  if (spec.rfind(prefix, 0) == 0) {
    const std::string num = spec.substr(prefix.size());
    int m = 0;
    auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), m);
    constexpr int kMax = 1024;
    if (num.empty() || ec != std::errc() || end != num.data() + num.size() || m < 1 || m > kMax)
      io::Fail(spec, "M must be a positive integer up to " + std::to_string(kMax) + ", got '" +
                         num + "'",
               "identical:M platform");
    return Platform::Identical(m);
  }
  if (spec.rfind("zoo:", 0) == 0) {
    std::string path = ZooPlatformPath(spec.substr(4));
    return ParsePlatformJson(ReadFile(path), path);
  }
  if (spec.rfind("host:", 0) == 0) return HostPlatform(spec);
  if (spec.rfind("cluster:paper:", 0) == 0 || spec == "cluster:mixed") return LoadLlmClusterPreset(spec);
  if (spec.rfind("cluster:", 0) == 0) {
    // S servers of the `modern` preset on 100 GbE.
    const std::string num = spec.substr(8);
    int s = 0;
    auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), s);
    if (num.empty() || ec != std::errc() || end != num.data() + num.size() || s < 1 || s > 64)
      io::Fail(spec, "S must be an integer from 1 to 64, got '" + num + "'", "cluster:S platform");
    std::string path = ZooPlatformPath("modern");
    return MakeCluster(ParsePlatformJson(ReadFile(path), path), s, MakeLink(*FindLinkPreset("100gbe")));
  }
  return ParsePlatformJson(ReadFile(spec), spec);
}

}  // namespace diviml
