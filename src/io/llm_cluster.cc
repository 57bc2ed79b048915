// The cluster presets of docs/llm.md, built from the device catalogue:
//   cluster:paper:S  S servers of the paper's platform (Xeon Gold 6130,
//                    RTX 2080 Ti, GTX 1080 Ti on PCIe 3) on 100 GbE;
//   cluster:mixed    4 x {Xeon Platinum 8380, A100 80GB, T4} +
//                    2 x {Xeon Platinum 8380, 2 x L4} on 100 GbE
//                    (A100 and L4 on PCIe 4, T4 on PCIe 3).
#include <charconv>

#include "diviml/cost/cost_model.h"
#include "diviml/io/io.h"
#include "diviml/io/zoo.h"
#include "diviml/platform/cluster.h"
#include "io/json_check.h"

namespace diviml {

namespace {

Platform Server(const std::string& name, const std::vector<std::pair<std::string, std::string>>& devices,
                const std::string& link) {
  Platform p;
  p.name = name;
  for (const auto& [key, dev_name] : devices) p.devices.push_back(MakeCatalogueDevice(*FindCatalogueDevice(key), dev_name));
  p.SetDefaultLink(MakeLink(*FindLinkPreset(link)));
  return p;
}

}  // namespace

Platform LoadLlmClusterPreset(const std::string& spec) {
  const Link net = MakeLink(*FindLinkPreset("100gbe"));
  if (spec == "cluster:mixed") {
    Platform a = Server("a100-t4", {{"xeon-platinum-8380", "cpu"}, {"a100-80gb", "a100"}, {"t4", "t4"}}, "pcie4");
    const Link pcie3 = MakeLink(*FindLinkPreset("pcie3"));
    a.SetLink(0, 2, pcie3);
    a.SetLink(1, 2, pcie3);
    Platform b = Server("2xl4", {{"xeon-platinum-8380", "cpu"}, {"l4", "l4a"}, {"l4", "l4b"}}, "pcie4");
    return MakeMixedCluster({{a, 4}, {b, 2}}, net, "cluster:mixed");
  }
  const std::string num = spec.substr(std::string("cluster:paper:").size());
  int s = 0;
  auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), s);
  if (num.empty() || ec != std::errc() || end != num.data() + num.size() || s < 1 || s > 64)
    io::Fail(spec, "S must be an integer from 1 to 64, got '" + num + "'", "cluster:paper:S platform");
  std::string path = ZooPlatformPath("paper");
  Platform server = ParsePlatformJson(ReadFile(path), path);
  Platform p = MakeCluster(server, s, net);
  p.name = spec;
  return p;
}

}  // namespace diviml
