// Platform: devices and the links between them.
//
// Links are stored as a dense device x device matrix (platforms have tens of
// devices, not thousands), so TransferTime is O(1).
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace diviml {

constexpr double kUnlimited = std::numeric_limits<double>::infinity();

struct Device {
  std::string name;
  std::string type;                    // defaults to name when absent
  double memory_bytes = kUnlimited;    // capacity; unlimited when absent
  double peak_flops = 0;               // FLOP/s, 0 = unknown
  double mem_bandwidth_Bps = 0;        // bytes/s, 0 = unknown
  std::string server;                  // server name; "" = none given
};

struct Link {
  double bandwidth_Bps = kUnlimited;  // bytes per second
  double latency_s = 0;               // seconds per transfer
};

class Platform {
 public:
  std::string name;
  std::vector<Device> devices;  // "count" already expanded

  int num_devices() const { return static_cast<int>(devices.size()); }
  int FindDevice(const std::string& name) const;

  // Sets the link between every pair to `link` (d != e).
  void SetDefaultLink(const Link& link);
  // Sets the d->e link (and e->d when both_ways).
  void SetLink(int d, int e, const Link& link, bool both_ways = true);
  // True once SetDefaultLink/SetLink sized the link matrix for the devices.
  bool links_complete() const { return links_.size() == devices.size() * devices.size(); }
  const Link& link(int d, int e) const { return links_[d * devices.size() + e]; }

  // latency + bytes / bandwidth, 0 on one device.
  double TransferTime(int d, int e, double bytes) const {
    if (d == e) return 0;
    const Link& l = link(d, e);
    return l.latency_s + bytes / l.bandwidth_Bps;
  }

  // True when no link costs anything (free communication).
  bool FreeCommunication() const;

  // Devices in the same class are interchangeable: same type, capacity,
  // rates and the same links to every other device (and to each other).
  // Returns a class id per device; O(m^3).
  std::vector<int> SymmetryClasses() const;

  // M identical devices "P1".."PM" of type "P" with free transfers.
  static Platform Identical(int m);

 private:
  std::vector<Link> links_;
};

}  // namespace diviml
