// Strict JSON reading for the graph and platform readers (see json_check.h).
#include "io/json_check.h"

#include <cmath>
#include <filesystem>
#include <set>
#include <vector>

#include "diviml/io/io.h"

namespace diviml::io {

void Fail(const std::string& source, const std::string& problem, const std::string& where) {
  std::string msg = source + ": " + problem + " (" + (where.empty() ? "document" : where) + ")";
  for (char& c : msg)
    if (c == '\n' || c == '\r') c = ' ';
  throw InputError(msg);
}

std::string JoinPath(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string IndexPath(const std::string& path, size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

std::string SourceStem(const std::string& source) {
  std::string name = std::filesystem::path(source).filename().string();
  size_t dot = name.find('.');
  return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

namespace {

// One open object or array while parsing, to name the place of a duplicate
// key. Paths are built only when reporting, so deep nesting stays linear.
struct Frame {
  bool is_object = false;
  std::set<std::string> keys;
  std::string key;    // current key (objects)
  size_t count = 0;   // finished elements (arrays)
};

// Deeper JSON is rejected: no DiviML format nests beyond a few levels.
constexpr int kMaxDepth = 64;

}  // namespace

Json ParseJsonText(const std::string& text, const std::string& source) {
  std::vector<Frame> stack;
  auto path_of_top = [&]() {  // path of the innermost open object or array
    std::string path;
    for (size_t k = 0; k + 1 < stack.size(); ++k)
      path = stack[k].is_object ? JoinPath(path, stack[k].key) : IndexPath(path, stack[k].count);
    return path;
  };
  auto child_done = [&]() {
    if (!stack.empty() && !stack.back().is_object) ++stack.back().count;
  };
  Json::parser_callback_t cb = [&](int depth, Json::parse_event_t event, Json& parsed) {
    using E = Json::parse_event_t;
    switch (event) {
      case E::object_start:
      case E::array_start: {
        if (depth >= kMaxDepth)
          Fail(source, "JSON nested deeper than " + std::to_string(kMaxDepth) + " levels",
               "depth " + std::to_string(depth));
        Frame f;
        f.is_object = event == E::object_start;
        stack.push_back(std::move(f));
        break;
      }
      case E::key: {
        std::string key = parsed.get<std::string>();
        Frame& top = stack.back();
        if (!top.keys.insert(key).second)
          Fail(source, "duplicate key '" + key + "'", JoinPath(path_of_top(), key));
        top.key = key;
        break;
      }
      case E::object_end:
      case E::array_end:
        stack.pop_back();
        child_done();
        break;
      case E::value:
        child_done();
        break;
    }
    return true;
  };
  auto strip = [](std::string what) {  // drop "[json.exception.x.N] "
    size_t close = what.find("] ");
    if (what.rfind("[json.exception", 0) == 0 && close != std::string::npos)
      what = what.substr(close + 2);
    return what;
  };
  try {
    return Json::parse(text, cb);
  } catch (const Json::parse_error& e) {
    Fail(source, "malformed JSON: " + strip(e.what()), "byte " + std::to_string(e.byte));
  } catch (const Json::exception& e) {  // e.g. number overflow (1e999)
    Fail(source, "malformed JSON: " + strip(e.what()), "document");
  }
}

void CheckFormat(const Json& root, const std::string& expected, const std::string& source) {
  if (!root.is_object())
    Fail(source, std::string("top level must be a JSON object, got ") + root.type_name(), "");
  auto it = root.find("format");
  if (it == root.end())
    Fail(source, "missing 'format' tag, expected \"" + expected + "\"", "format");
  if (!it->is_string() || it->get<std::string>() != expected)
    Fail(source, "unknown format " + it->dump() + ", expected \"" + expected + "\"", "format");
}

double CheckNumber(const Json& v, const std::string& where, const std::string& source,
                   bool positive) {
  if (!v.is_number()) Fail(source, std::string("expected a number, got ") + v.type_name(), where);
  double x = v.get<double>();
  if (!std::isfinite(x)) Fail(source, "number is not finite", where);
  if (x < 0) Fail(source, "negative value " + v.dump() + " not allowed", where);
  if (positive && x == 0) Fail(source, "value must be positive, got 0", where);
  return x;
}

ObjectView::ObjectView(const Json& j, std::string path, const std::string& source,
                       const char* what)
    : j_(j), path_(std::move(path)), source_(source) {
  if (!j.is_object())
    io::Fail(source_, std::string(what) + " must be a JSON object, got " + j.type_name(), path_);
}

void ObjectView::AllowOnly(std::initializer_list<const char*> keys) const {
  for (const auto& [key, value] : j_.items()) {
    bool known = key == "comment";
    for (const char* k : keys) known = known || key == k;
    if (!known) Fail("unknown field '" + key + "'", key);
  }
}

void ObjectView::Fail(const std::string& problem, const std::string& key) const {
  io::Fail(source_, problem, Where(key));
}

const Json& ObjectView::Get(const char* key) const {
  auto it = j_.find(key);
  if (it == j_.end()) Fail(std::string("missing required field '") + key + "'", key);
  return *it;
}

std::string ObjectView::String(const char* key) const {
  const Json& v = Get(key);
  if (!v.is_string()) Fail(std::string("expected a string, got ") + v.type_name(), key);
  std::string s = v.get<std::string>();
  if (s.empty()) Fail("empty string not allowed", key);
  return s;
}

std::optional<std::string> ObjectView::OptString(const char* key) const {
  if (!Has(key)) return std::nullopt;
  return String(key);
}

const Json& ObjectView::Array(const char* key) const {
  const Json& v = Get(key);
  if (!v.is_array()) Fail(std::string("expected an array, got ") + v.type_name(), key);
  return v;
}

double ObjectView::NonNegative(const char* key) const {
  return CheckNumber(Get(key), Where(key), source_);
}

std::optional<double> ObjectView::OptNonNegative(const char* key) const {
  if (!Has(key)) return std::nullopt;
  return NonNegative(key);
}

std::optional<bool> ObjectView::OptBool(const char* key) const {
  if (!Has(key)) return std::nullopt;
  const Json& v = Get(key);
  if (!v.is_boolean()) Fail(std::string("expected true or false, got ") + v.type_name(), key);
  return v.get<bool>();
}

}  // namespace diviml::io
