// cluster:S — S identical copies of a server platform joined by a network.
// Device names get the prefix "s<k>." and server "server<k>"; links inside a
// server are copied, links between servers are the network link (through
// the servers' NICs, one hop: latency + bytes / bandwidth). O(S^2 m^2).
#include "diviml/platform/cluster.h"

namespace diviml {

Platform MakeCluster(const Platform& server, int servers, const Link& network) {
  Platform p;
  p.name = "cluster:" + std::to_string(servers) + "x" + server.name;
  const int m = server.num_devices();
  for (int s = 0; s < servers; ++s)
    for (const Device& d : server.devices) {
      Device copy = d;
      copy.name = "s" + std::to_string(s) + "." + d.name;
      copy.server = "server" + std::to_string(s);
      p.devices.push_back(copy);
    }
  p.SetDefaultLink(network);
  for (int s = 0; s < servers; ++s)
    for (int d = 0; d < m; ++d)
      for (int e = 0; e < m; ++e)
        if (d != e) p.SetLink(s * m + d, s * m + e, server.link(d, e), false);
  return p;
}

}  // namespace diviml
