// Platforms of several identical servers (docs/formats.md (clusters)).
#pragma once

#include "diviml/platform/platform.h"

namespace diviml {

// S copies of `server` ("s0.cpu", "s0.a100", ..., server "server0", ...);
// devices of different servers talk over `network`.
Platform MakeCluster(const Platform& server, int servers, const Link& network);

}  // namespace diviml
