// Strict JSON reading shared by the graph and platform readers: parsing with
// duplicate-key detection, the format tag, and typed field access that
// throws InputError "FILE: problem (where)" for every missing field, wrong
// type, unknown key, negative or non-finite number. Internal to src/io.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace diviml::io {

using Json = nlohmann::json;

// Throws InputError("source: problem (where)") as one line.
[[noreturn]] void Fail(const std::string& source, const std::string& problem,
                       const std::string& where);

// Parses text; malformed JSON (with line, column and byte) and duplicate
// keys in an object are errors.
Json ParseJsonText(const std::string& text, const std::string& source);

// The root must be an object whose "format" is `expected`.
void CheckFormat(const Json& root, const std::string& expected, const std::string& source);

// "devices[2]" + "name" -> "devices[2].name"; "" + "name" -> "name".
std::string JoinPath(const std::string& path, const std::string& key);
std::string IndexPath(const std::string& path, size_t index);

// File stem of a source path: "dir/a.graph.json" -> "a".
std::string SourceStem(const std::string& source);

// Typed, checked access to one JSON object found at `path`.
class ObjectView {
 public:
  // Fails unless `j` is an object. `what` names it in the message ("node").
  ObjectView(const Json& j, std::string path, const std::string& source, const char* what);

  // Any key outside `keys` (and "comment") is an error.
  void AllowOnly(std::initializer_list<const char*> keys) const;

  bool Has(const char* key) const { return j_.contains(key); }
  const Json& Get(const char* key) const;  // required, any type
  std::string Where(const std::string& key) const { return JoinPath(path_, key); }
  const std::string& path() const { return path_; }
  const std::string& source() const { return source_; }

  std::string String(const char* key) const;                 // required, non-empty
  std::optional<std::string> OptString(const char* key) const;
  const Json& Array(const char* key) const;                  // required array
  double NonNegative(const char* key) const;                 // required, finite >= 0
  std::optional<double> OptNonNegative(const char* key) const;
  std::optional<bool> OptBool(const char* key) const;

  [[noreturn]] void Fail(const std::string& problem, const std::string& key) const;

 private:
  const Json& j_;
  std::string path_;
  const std::string& source_;
};

// A finite number >= 0 (> 0 when `positive`) at `where`.
double CheckNumber(const Json& v, const std::string& where, const std::string& source,
                   bool positive = false);

}  // namespace diviml::io
