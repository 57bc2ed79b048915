// Measured profiles (src/io/profile.cc): per-node times that override the
// cost model.
#pragma once

#include <string>
#include <vector>

#include "diviml/graph/graph.h"
#include "diviml/util/error.h"

namespace diviml {

// JSON: {"format": "diviml-profile-v1", "device": "cpu", "unit": "s",
//        "times": {"node": seconds, ...}}
//   "device" is a device name or type; "unit" is "s" (default), "ms" or
//   "us". Instead of "device", "times" may map each node to
//   {"device": seconds, ...}. Other top-level keys are ignored.
// CSV: a header naming the columns node, device, time_s (any order, extra
//   columns ignored; time_ms / time_us accepted instead of time_s), then one
//   row per node and device. Blank lines and lines starting with '#' are
//   skipped; fields may be double-quoted.
struct ProfileEntry {
  std::string node;
  std::string device;  // device name or type
  double time_s = 0;
  int line = 0;        // CSV line (1-based), 0 for JSON
};

struct Profile {
  std::string source;  // file name for messages
  std::vector<ProfileEntry> entries;
};

Profile ParseProfileJson(const std::string& text, const std::string& source);
Profile ParseProfileCsv(const std::string& text, const std::string& source);
// By extension, case-insensitive: .csv -> CSV, otherwise JSON. Throws
// InputError "FILE: ..." (missing file, directory, bad content).
Profile ReadProfile(const std::string& path);

// Sets node.time_s[entry.device] = entry.time_s for every entry, replacing
// what was there. An entry naming a node not in the graph, or a node/device
// pair given twice, throws InputError naming the file and the node. Returns
// the number of entries applied.
int ApplyProfile(Graph& graph, const Profile& profile);

}  // namespace diviml
