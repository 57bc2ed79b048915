// Platforms of several servers (docs/formats.md (clusters), docs/llm.md).
#pragma once

#include <string>
#include <vector>

#include "diviml/platform/platform.h"

namespace diviml {

// S copies of `server` ("s0.cpu", "s0.a100", ..., server "server0", ...);
// devices of different servers talk over `network`.
Platform MakeCluster(const Platform& server, int servers, const Link& network);

// A server type (a template platform) and how many servers of it.
struct ServerCount {
  Platform server;
  int count = 1;
};
// The servers of every type in order ("s0." .. for the first type's
// servers, then the next type's), joined by `network`. O(S^2 m^2).
Platform MakeMixedCluster(const std::vector<ServerCount>& types, const Link& network, const std::string& name);

// A platform seen as servers: devices grouped by Device::server (devices
// without a server form one server ""), servers grouped into types by their
// signature (device types, capacities, rates, in order, and the links
// inside). O(S^2 m^2).
struct ClusterView {
  struct Server {
    std::string name;
    std::vector<int> devices;  // platform device indices, in platform order
    int type = 0;
  };
  std::vector<Server> servers;
  std::vector<std::vector<int>> type_servers;  // type -> server indices
  int num_types() const { return static_cast<int>(type_servers.size()); }
};
ClusterView ViewCluster(const Platform& platform);

}  // namespace diviml
