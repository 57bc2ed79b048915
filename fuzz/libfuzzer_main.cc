// libFuzzer entry for one target, chosen at build time by
// DIVIML_FUZZ_TARGET (CMakeLists.txt: one fuzz_<name> executable each).
// InputError is the expected answer to bad bytes; anything else escapes and
// libFuzzer reports it as a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "targets.h"
#include "diviml/util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const diviml::fuzz::Target* target = diviml::fuzz::FindTarget(DIVIML_FUZZ_TARGET);
  if (!target) __builtin_trap();
  try {
    target->run(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const diviml::InputError&) {
  }
  return 0;
}
