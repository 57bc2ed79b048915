// Reader of diviml-platform-v1 (docs/formats.md).
//
//   {"format": "diviml-platform-v1", "name": "...",                  name optional
//    "devices": [{"name": "gpu", "type": "A100", "count": 2,          type, count optional
//                 "memory_bytes", "peak_flops", "mem_bandwidth_Bps", "server"}],
//    "links": [{"from": "cpu", "to": "gpu", "bandwidth_Bps": 1e10, "latency_s": 1e-6,
//               "directed": false}],                                 optional
//    "default_link": {"bandwidth_Bps": 1e9, "latency_s": 1e-5}}       optional
//
// Conventions:
// - count > 1 expands to devices NAME0..NAME{count-1}, all of the entry's
//   type (which defaults to the entry's name, not the expanded one).
// - A link end is a device name, else a device entry's name (all its
//   copies), else a device type (all devices of that type). A link covers
//   every pair of distinct devices between its two ends.
// - Links are both ways unless "directed": true (or "both_ways": false).
// - A link naming devices on both ends beats one naming a group/type on an
//   end; the same ordered pair set twice at the same level is an error.
// - bandwidth_Bps must be > 0, or the string "unlimited".
// - Without default_link every ordered pair of distinct devices needs a link.
// - At most kMaxDevices devices in all (the link matrix is dense).
#include <map>
#include <vector>

#include "diviml/io/io.h"
#include "io/json_check.h"

namespace diviml {

using io::Json;
using io::ObjectView;

namespace {

constexpr long long kMaxDevices = 1024;

Link ReadLink(const ObjectView& v) {
  Link link;
  const Json& bw = v.Get("bandwidth_Bps");
  if (bw.is_string() && bw.get<std::string>() == "unlimited") {
    link.bandwidth_Bps = kUnlimited;
  } else {
    if (bw.is_string())
      v.Fail("bandwidth must be a number > 0 or \"unlimited\", got " + bw.dump(), "bandwidth_Bps");
    link.bandwidth_Bps = io::CheckNumber(bw, v.Where("bandwidth_Bps"), v.source(), true);
  }
  link.latency_s = v.NonNegative("latency_s");
  return link;
}

int ReadCount(const ObjectView& v) {
  if (!v.Has("count")) return 1;
  const Json& c = v.Get("count");
  if (!c.is_number_integer() || c.get<long long>() < 1)
    v.Fail("count must be a positive integer, got " + c.dump(), "count");
  if (c.get<long long>() > kMaxDevices)
    v.Fail("count " + c.dump() + " exceeds the limit of " + std::to_string(kMaxDevices) +
               " devices",
           "count");
  return static_cast<int>(c.get<long long>());
}

// Devices named by one end of a link, and how specific the name is
// (1 = one device by name, 0 = a device entry's copies or a type).
struct End {
  std::vector<int> devices;
  int specificity = 0;
};

}  // namespace

Platform ParsePlatformJson(const std::string& text, const std::string& source) {
  const Json root = io::ParseJsonText(text, source);
  io::CheckFormat(root, "diviml-platform-v1", source);
  ObjectView top(root, "", source, "platform");
  top.AllowOnly({"format", "name", "devices", "links", "default_link"});

  Platform p;
  p.name = top.OptString("name").value_or(io::SourceStem(source));

  // Devices, with count expanded.
  const Json& devs = top.Array("devices");
  if (devs.empty()) top.Fail("the platform has no devices", "devices");
  std::map<std::string, std::string> origin;            // device name -> where
  std::map<std::string, std::vector<int>> entry_group;  // entry name -> devices
  std::map<std::string, std::string> entry_where;       // entry name -> where
  for (size_t k = 0; k < devs.size(); ++k) {
    ObjectView v(devs[k], io::IndexPath("devices", k), source, "device");
    v.AllowOnly({"name", "type", "memory_bytes", "peak_flops", "mem_bandwidth_Bps", "server",
                 "count"});
    Device base;
    base.name = v.String("name");
    base.type = v.OptString("type").value_or(base.name);
    base.memory_bytes = v.OptNonNegative("memory_bytes").value_or(kUnlimited);
    base.peak_flops = v.OptNonNegative("peak_flops").value_or(0);
    base.mem_bandwidth_Bps = v.OptNonNegative("mem_bandwidth_Bps").value_or(0);
    base.server = v.OptString("server").value_or("");
    const int count = ReadCount(v);
    if (p.num_devices() + count > kMaxDevices)
      v.Fail("more than " + std::to_string(kMaxDevices) + " devices in all", "count");
    if (auto it = entry_where.find(base.name); it != entry_where.end())
      v.Fail("duplicate device name '" + base.name + "', also from " + it->second, "name");
    entry_where[base.name] = v.path();
    for (int c = 0; c < count; ++c) {
      Device d = base;
      if (count > 1) d.name += std::to_string(c);
      auto [it, fresh] = origin.emplace(d.name, v.path());
      if (!fresh)
        v.Fail("duplicate device name '" + d.name + "', also from " + it->second, "name");
      entry_group[base.name].push_back(p.num_devices());
      p.devices.push_back(std::move(d));
    }
  }
  const int m = p.num_devices();

  auto resolve = [&](const ObjectView& v, const char* key) {
    std::string name = v.String(key);
    End end;
    if (int d = p.FindDevice(name); d >= 0) {
      end.devices = {d};
      end.specificity = 1;
    } else if (auto it = entry_group.find(name); it != entry_group.end()) {
      end.devices = it->second;
    } else {
      for (int d = 0; d < m; ++d)
        if (p.devices[d].type == name) end.devices.push_back(d);
      if (end.devices.empty()) v.Fail("unknown device or device type '" + name + "'", key);
    }
    return end;
  };

  // Links: which entry set each ordered pair, at which specificity.
  const bool has_default = top.Has("default_link");
  Link default_link;
  if (has_default) {
    ObjectView v(top.Get("default_link"), "default_link", source, "default_link");
    v.AllowOnly({"bandwidth_Bps", "latency_s"});
    default_link = ReadLink(v);
  }
  p.SetDefaultLink(default_link);
  std::vector<int> set_by(static_cast<size_t>(m) * m, -1), level(static_cast<size_t>(m) * m, -1);
  const Json* links = top.Has("links") ? &top.Array("links") : nullptr;
  for (size_t k = 0; links && k < links->size(); ++k) {
    ObjectView v((*links)[k], io::IndexPath("links", k), source, "link");
    v.AllowOnly({"from", "to", "bandwidth_Bps", "latency_s", "both_ways", "directed"});
    const End from = resolve(v, "from"), to = resolve(v, "to");
    const Link link = ReadLink(v);
    auto directed = v.OptBool("directed");
    auto both_ways = v.OptBool("both_ways");
    if (directed && both_ways && *directed == *both_ways)
      v.Fail("'directed' and 'both_ways' contradict each other", "directed");
    const bool two_way = directed ? !*directed : both_ways.value_or(true);
    if (from.specificity == 1 && to.specificity == 1 && from.devices == to.devices)
      v.Fail("link from device '" + p.devices[from.devices[0]].name + "' to itself", "to");
    const int lvl = from.specificity + to.specificity;
    bool covers = false;
    auto apply = [&](int a, int b) {
      const size_t ab = static_cast<size_t>(a) * m + b;
      if (set_by[ab] == static_cast<int>(k) || level[ab] > lvl) return;
      if (level[ab] == lvl)
        v.Fail("link from '" + p.devices[a].name + "' to '" + p.devices[b].name +
                   "' given twice, also by links[" + std::to_string(set_by[ab]) + "]",
               "from");
      set_by[ab] = static_cast<int>(k);
      level[ab] = lvl;
      p.SetLink(a, b, link, false);
    };
    for (int a : from.devices)
      for (int b : to.devices) {
        if (a == b) continue;
        covers = true;
        apply(a, b);
        if (two_way) apply(b, a);
      }
    if (!covers) v.Fail("link covers no pair of distinct devices", "to");
  }
  if (!has_default) {
    for (int a = 0; a < m; ++a)
      for (int b = 0; b < m; ++b)
        if (a != b && set_by[static_cast<size_t>(a) * m + b] < 0)
          top.Fail("no link from '" + p.devices[a].name + "' to '" + p.devices[b].name +
                       "' and no default_link",
                   "links");
  }
  return p;
}

}  // namespace diviml
