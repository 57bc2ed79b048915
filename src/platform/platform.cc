// Platform: link matrix, symmetry classes and the identical:M preset.
#include "diviml/platform/platform.h"

#include <cmath>
#include <string>

namespace diviml {

int Platform::FindDevice(const std::string& n) const {
  for (int d = 0; d < num_devices(); ++d)
    if (devices[d].name == n) return d;
  return -1;
}

void Platform::SetDefaultLink(const Link& link) {
  const size_t m = devices.size();
  links_.assign(m * m, link);
  for (size_t d = 0; d < m; ++d) links_[d * m + d] = Link{kUnlimited, 0};
}

void Platform::SetLink(int d, int e, const Link& link, bool both_ways) {
  const size_t m = devices.size();
  if (links_.size() != m * m) SetDefaultLink(Link{});
  links_[d * m + e] = link;
  if (both_ways) links_[e * m + d] = link;
}

bool Platform::FreeCommunication() const {
  for (int d = 0; d < num_devices(); ++d)
    for (int e = 0; e < num_devices(); ++e) {
      if (d == e) continue;
      const Link& l = link(d, e);
      if (l.latency_s != 0 || std::isfinite(l.bandwidth_Bps)) return false;
    }
  return true;
}

static bool SameLink(const Link& a, const Link& b) {
  return a.latency_s == b.latency_s && a.bandwidth_Bps == b.bandwidth_Bps;
}

std::vector<int> Platform::SymmetryClasses() const {
  const int m = num_devices();
  std::vector<int> cls(m, -1);
  int next = 0;
  for (int d = 0; d < m; ++d) {
    if (cls[d] >= 0) continue;
    cls[d] = next;
    for (int e = d + 1; e < m; ++e) {
      if (cls[e] >= 0) continue;
      const Device& a = devices[d];
      const Device& b = devices[e];
      bool same = a.type == b.type && a.memory_bytes == b.memory_bytes &&
                  a.peak_flops == b.peak_flops && a.mem_bandwidth_Bps == b.mem_bandwidth_Bps;
      // Swapping d and e must leave every link unchanged.
      for (int f = 0; same && f < m; ++f) {
        if (f == d || f == e) continue;
        same = SameLink(link(d, f), link(e, f)) && SameLink(link(f, d), link(f, e));
      }
      if (same) same = SameLink(link(d, e), link(e, d));
      if (same) cls[e] = next;
    }
    ++next;
  }
  return cls;
}

Platform Platform::Identical(int m) {
  Platform p;
  p.name = "identical:" + std::to_string(m);
  for (int d = 0; d < m; ++d) {
    Device dev;
    dev.name = "P" + std::to_string(d + 1);
    dev.type = "P";
    p.devices.push_back(dev);
  }
  p.SetDefaultLink(Link{kUnlimited, 0});
  return p;
}

}  // namespace diviml
