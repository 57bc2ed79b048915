// ReadFile, WriteFileAtomic, LowerExtension (include/diviml/util/file.h).
#include "diviml/util/file.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace diviml {
namespace {

[[noreturn]] void Fail(const std::string& path, const std::string& problem, const std::string& where) {
  throw InputError(path + ": " + problem + " (" + where + ")");
}

}  // namespace

std::string ReadFile(const std::string& path) {
  if (path.empty()) throw InputError("(empty path): no file name given");
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) Fail(path, "cannot read file: it is a directory", "open");
  std::ifstream in(path, std::ios::binary);
  if (!in) Fail(path, std::string("cannot read file: ") + std::strerror(errno), "open");
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) Fail(path, std::string("error while reading: ") + std::strerror(errno), "read");
  return buf.str();
}

void WriteFileAtomic(const std::string& path, const std::string& text) {
  if (path.empty()) throw InputError("(empty path): no output file name given");
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw InputError(path + ": cannot write");
    f << text;
    f.flush();
    if (!f) {
      f.close();
      std::remove(tmp.c_str());
      throw InputError(path + ": write failed");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw InputError(path + ": cannot write");
  }
}

std::string LowerExtension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

}  // namespace diviml
