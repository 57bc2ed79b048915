// Runs a shell command for the tests that drive an executable end to end
// (cli_test, throughput_test, segment_referee_test): its standard output
// and exit code.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace diviml::testutil {

struct CommandRun {
  int code = -1;  // -1: the shell could not be started
  std::string out;
};

inline CommandRun RunCommand(const std::string& cmd) {
  CommandRun r;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf;
  size_t k;
  while ((k = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), k);
  r.code = WEXITSTATUS(pclose(p));
  return r;
}

}  // namespace diviml::testutil
