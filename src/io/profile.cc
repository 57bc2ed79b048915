// Measured profiles (JSON and CSV, formats in include/diviml/io/profile.h) and applying
// them to a graph. O(size of the file) + O(entries log V).
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "diviml/io/profile.h"
#include "diviml/util/file.h"

namespace diviml {

namespace {

[[noreturn]] void Fail(const std::string& source, const std::string& what) {
  throw InputError(source + ": " + what);
}

double UnitScale(const std::string& unit, const std::string& source, const std::string& where) {
  if (unit == "s") return 1;
  if (unit == "ms") return 1e-3;
  if (unit == "us") return 1e-6;
  Fail(source, "unknown time unit '" + unit + "' (" + where + "); use s, ms or us");
}

double CheckTime(double t, const std::string& source, const std::string& where) {
  if (!std::isfinite(t) || t < 0) Fail(source, "invalid time (" + where + "): must be a finite number >= 0");
  return t;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// Splits one CSV line; fields may be double-quoted ("" escapes a quote).
std::vector<std::string> SplitCsv(const std::string& line, const std::string& source, int lineno) {
  std::vector<std::string> fields;
  std::string cur;
  bool quoted = false, was_quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          cur.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cur.push_back(c);
      }
    } else if (c == '"' && Trim(cur).empty()) {
      quoted = true;
      was_quoted = true;
      cur.clear();
    } else if (c == ',') {
      fields.push_back(was_quoted ? cur : Trim(cur));
      cur.clear();
      was_quoted = false;
    } else {
      cur.push_back(c);
    }
  }
  if (quoted) Fail(source + ":" + std::to_string(lineno), "unterminated quoted field");
  fields.push_back(was_quoted ? cur : Trim(cur));
  return fields;
}

}  // namespace

Profile ParseProfileJson(const std::string& text, const std::string& source) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {  // parse_error; out_of_range on number overflow
    std::string msg = e.what();
    Fail(source, "invalid JSON: " + msg);
  }
  if (!j.is_object()) Fail(source, "a profile must be a JSON object");
  if (!j.contains("format")) Fail(source, "missing \"format\" (expected \"diviml-profile-v1\")");
  if (!j["format"].is_string() || j["format"].get<std::string>() != "diviml-profile-v1")
    Fail(source, "unknown format " + j["format"].dump() + " (expected \"diviml-profile-v1\")");
  double scale = 1;
  if (j.contains("unit")) {
    if (!j["unit"].is_string()) Fail(source, "\"unit\" must be a string");
    scale = UnitScale(j["unit"].get<std::string>(), source, "\"unit\"");
  }
  std::string device;
  if (j.contains("device")) {
    if (!j["device"].is_string() || j["device"].get<std::string>().empty())
      Fail(source, "\"device\" must be a non-empty string");
    device = j["device"].get<std::string>();
  }
  if (!j.contains("times") || !j["times"].is_object()) Fail(source, "missing object \"times\"");
  Profile p;
  p.source = source;
  for (const auto& [node, value] : j["times"].items()) {
    const std::string where = "times.\"" + node + "\"";
    if (value.is_number()) {
      if (device.empty())
        Fail(source, where + " is a number but the profile has no \"device\"; give \"device\" or "
                             "{\"device\": seconds} per node");
      p.entries.push_back({node, device, CheckTime(value.get<double>() * scale, source, where), 0});
    } else if (value.is_object()) {
      for (const auto& [dev, t] : value.items()) {
        if (!t.is_number()) Fail(source, where + ".\"" + dev + "\" must be a number");
        if (dev.empty()) Fail(source, where + " has an empty device name");
        p.entries.push_back({node, dev, CheckTime(t.get<double>() * scale, source, where + ".\"" + dev + "\""), 0});
      }
    } else {
      Fail(source, where + " must be a number (seconds) or an object {device: seconds}");
    }
  }
  return p;
}

Profile ParseProfileCsv(const std::string& text, const std::string& source) {
  Profile p;
  p.source = source;
  std::istringstream in(text);
  std::string line;
  int lineno = 0;
  int col_node = -1, col_device = -1, col_time = -1;
  double scale = 1;
  size_t ncols = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (lineno == 1 && line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
    const std::string t = Trim(line);
    if (t.empty() || t[0] == '#') continue;
    const std::string where = source + ":" + std::to_string(lineno);
    auto fields = SplitCsv(line, source, lineno);
    if (col_node < 0) {
      for (int c = 0; c < static_cast<int>(fields.size()); ++c) {
        const std::string& h = fields[c];
        if (h == "node") col_node = c;
        else if (h == "device") col_device = c;
        else if (h == "time_s" || h == "time_ms" || h == "time_us") {
          if (col_time >= 0) Fail(where, "more than one time column in the header");
          col_time = c;
          scale = h == "time_s" ? 1 : h == "time_ms" ? 1e-3 : 1e-6;
        }
      }
      if (col_node < 0 || col_device < 0 || col_time < 0)
        Fail(where, "header must name the columns node, device and time_s (got '" + t + "')");
      ncols = fields.size();
      continue;
    }
    if (fields.size() != ncols)
      Fail(where, "expected " + std::to_string(ncols) + " fields, got " + std::to_string(fields.size()));
    const std::string& node = fields[col_node];
    const std::string& dev = fields[col_device];
    if (node.empty()) Fail(where, "empty node name");
    if (dev.empty()) Fail(where, "empty device");
    const std::string& ts = fields[col_time];
    double value = 0;
    size_t used = 0;
    try {
      value = std::stod(ts, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (ts.empty() || used != ts.size()) Fail(where, "time '" + ts + "' is not a number");
    p.entries.push_back({node, dev, CheckTime(value * scale, where, "node '" + node + "'"), lineno});
  }
  if (col_node < 0) Fail(source, "empty profile: no header line node,device,time_s");
  return p;
}

Profile ReadProfile(const std::string& path) {
  if (path.empty()) throw InputError("(empty path): no profile file name given");
  const std::string text = ReadFile(path);
  return LowerExtension(path) == ".csv" ? ParseProfileCsv(text, path) : ParseProfileJson(text, path);
}

int ApplyProfile(Graph& graph, const Profile& profile) {
  std::map<std::string, int> index;
  for (int v = 0; v < graph.num_nodes(); ++v) index.emplace(graph.nodes[v].id, v);
  std::set<std::pair<std::string, std::string>> seen;
  int applied = 0;
  for (const ProfileEntry& e : profile.entries) {
    const std::string where = e.line > 0 ? profile.source + ":" + std::to_string(e.line) : profile.source;
    auto it = index.find(e.node);
    if (it == index.end()) Fail(where, "node '" + e.node + "' is not in the graph '" + graph.name + "'");
    if (!seen.insert({e.node, e.device}).second)
      Fail(where, "node '" + e.node + "' has two times for device '" + e.device + "'");
    graph.nodes[it->second].time_s[e.device] = e.time_s;
    ++applied;
  }
  return applied;
}

}  // namespace diviml
