// Model zoo and platform preset lookup by name.
#include "diviml/io/zoo.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "diviml/io/io.h"

namespace diviml {
namespace fs = std::filesystem;

std::string ZooDir() {
  if (const char* env = std::getenv("DIVIML_ZOO"); env && *env) return env;
  return std::string(DIVIML_SOURCE_DIR) + "/zoo";
}

static std::vector<std::string> List(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string f = entry.path().filename().string();
    if (f.size() > suffix.size() && f.compare(f.size() - suffix.size(), suffix.size(), suffix) == 0)
      names.push_back(f.substr(0, f.size() - suffix.size()));
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> ZooModels() { return List(ZooDir() + "/models", ".onnx"); }
std::vector<std::string> ZooPlatforms() { return List(ZooDir() + "/platforms", ".platform.json"); }

static std::string Find(const std::string& kind, const std::string& name, const std::string& path,
                        const std::vector<std::string>& available) {
  // Only the listed names: a name is never a path (no "../", and no
  // filesystem error for a name the OS refuses, such as one too long).
  std::error_code ec;
  if (std::find(available.begin(), available.end(), name) != available.end() && fs::exists(path, ec))
    return path;
  std::string list;
  for (const auto& n : available) list += (list.empty() ? "" : ", ") + n;
  throw InputError("zoo:" + name + ": unknown " + kind + " (available: " + list + ")");
}

std::string ZooModelPath(const std::string& name) {
  return Find("model", name, ZooDir() + "/models/" + name + ".onnx", ZooModels());
}

std::string ZooPlatformPath(const std::string& name) {
  return Find("platform", name, ZooDir() + "/platforms/" + name + ".platform.json", ZooPlatforms());
}

}  // namespace diviml
