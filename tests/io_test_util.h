// Helpers for the reader tests: temp files and checks of InputError messages.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "diviml/io/io.h"

namespace diviml::testing_io {

// Removes the temp directories of this process when the tests end.
struct TempDirCleaner {
  std::vector<std::filesystem::path> dirs;
  ~TempDirCleaner() {
    std::error_code ec;
    for (const auto& d : dirs) std::filesystem::remove_all(d, ec);
  }
};
inline TempDirCleaner& Cleaner() {
  static TempDirCleaner cleaner;
  return cleaner;
}

// A fresh directory per test under the system temp dir.
inline std::filesystem::path TempDir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  auto dir = std::filesystem::temp_directory_path() /
             ("diviml_io_" + std::to_string(::getpid()) + "_" + info->test_suite_name() + "_" +
              info->name());
  if (std::filesystem::create_directories(dir)) Cleaner().dirs.push_back(dir);
  return dir;
}

// Writes `content` to TempDir()/name and returns the path.
inline std::string WriteTemp(const std::string& name, const std::string& content) {
  auto path = TempDir() / name;
  std::ofstream(path, std::ios::binary) << content;
  return path.string();
}

// Runs f; returns the InputError message, or "<no error>" when f succeeds.
// Any other exception fails the test.
template <class F>
std::string ErrorOf(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected InputError, got another exception: " << e.what();
    return "<wrong exception>";
  }
  return "<no error>";
}

// The message is one line and contains every part.
inline ::testing::AssertionResult Mentions(const std::string& msg,
                                           const std::vector<std::string>& parts) {
  if (msg.find('\n') != std::string::npos)
    return ::testing::AssertionFailure() << "message has several lines: " << msg;
  for (const auto& p : parts)
    if (msg.find(p) == std::string::npos)
      return ::testing::AssertionFailure() << "'" << p << "' missing in: " << msg;
  return ::testing::AssertionSuccess() << msg;
}

}  // namespace diviml::testing_io
