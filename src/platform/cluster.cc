// Clusters: S identical copies of a server platform (cluster:S), mixed
// server types, and the server view of a platform. Device names get the
// prefix "s<k>." and server "server<k>"; links inside a server are copied,
// links between servers are the network link (through the servers' NICs,
// one hop: latency + bytes / bandwidth). O(S^2 m^2).
#include "diviml/platform/cluster.h"

#include <map>

namespace diviml {

Platform MakeMixedCluster(const std::vector<ServerCount>& types, const Link& network, const std::string& name) {
  Platform p;
  p.name = name;
  std::vector<std::pair<int, const Platform*>> first;  // first device index, template
  int s = 0;
  for (const ServerCount& t : types)
    for (int c = 0; c < t.count; ++c, ++s) {
      first.push_back({p.num_devices(), &t.server});
      for (const Device& d : t.server.devices) {
        Device copy = d;
        copy.name = "s" + std::to_string(s) + "." + d.name;
        copy.server = "server" + std::to_string(s);
        p.devices.push_back(copy);
      }
    }
  p.SetDefaultLink(network);
  for (const auto& [base, tpl] : first) {
    const int m = tpl->num_devices();
    for (int d = 0; d < m; ++d)
      for (int e = 0; e < m; ++e)
        if (d != e) p.SetLink(base + d, base + e, tpl->link(d, e), false);
  }
  return p;
}

Platform MakeCluster(const Platform& server, int servers, const Link& network) {
  return MakeMixedCluster({{server, servers}}, network,
                          "cluster:" + std::to_string(servers) + "x" + server.name);
}

namespace {
bool SameDevice(const Device& a, const Device& b) {
  return a.type == b.type && a.memory_bytes == b.memory_bytes && a.peak_flops == b.peak_flops &&
         a.mem_bandwidth_Bps == b.mem_bandwidth_Bps;
}
bool SameLink(const Link& a, const Link& b) {
  return a.bandwidth_Bps == b.bandwidth_Bps && a.latency_s == b.latency_s;
}
}  // namespace

ClusterView ViewCluster(const Platform& p) {
  ClusterView v;
  std::map<std::string, int> index;
  for (int d = 0; d < p.num_devices(); ++d) {
    auto [it, fresh] = index.emplace(p.devices[d].server, static_cast<int>(v.servers.size()));
    if (fresh) v.servers.push_back({p.devices[d].server, {}, 0});
    v.servers[it->second].devices.push_back(d);
  }
  auto same = [&](const ClusterView::Server& a, const ClusterView::Server& b) {
    if (a.devices.size() != b.devices.size()) return false;
    for (size_t i = 0; i < a.devices.size(); ++i) {
      if (!SameDevice(p.devices[a.devices[i]], p.devices[b.devices[i]])) return false;
      if (!p.links_complete()) continue;
      for (size_t j = 0; j < a.devices.size(); ++j)
        if (i != j && !SameLink(p.link(a.devices[i], a.devices[j]), p.link(b.devices[i], b.devices[j])))
          return false;
    }
    return true;
  };
  for (int s = 0; s < static_cast<int>(v.servers.size()); ++s) {
    int type = -1;
    for (int t = 0; t < v.num_types() && type < 0; ++t)
      if (same(v.servers[v.type_servers[t][0]], v.servers[s])) type = t;
    if (type < 0) {
      type = v.num_types();
      v.type_servers.emplace_back();
    }
    v.servers[s].type = type;
    v.type_servers[type].push_back(s);
  }
  return v;
}

}  // namespace diviml
