#include "milp/backend.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace diviml::milp {

#ifdef DIVIML_HAVE_HIGHS
std::unique_ptr<MipBackend> MakeHighsBackend();  // highs_backend_highs.cc
#endif
#ifdef DIVIML_HAVE_CBC
std::unique_ptr<MipBackend> MakeCbcBackend();  // cbc_backend_cbc.cc
#endif

std::vector<std::string> AvailableBackends() {
  std::vector<std::string> names;
#ifdef DIVIML_HAVE_HIGHS
  names.push_back("highs");
#endif
#ifdef DIVIML_HAVE_CBC
  names.push_back("cbc");
#endif
  return names;
}

std::chrono::steady_clock::time_point MipDeadline(const MipOptions& options,
                                                  std::chrono::steady_clock::time_point t0) {
  using Clock = std::chrono::steady_clock;
  if (!std::isfinite(options.time_limit_s)) return Clock::time_point::max();
  return t0 + std::chrono::duration_cast<Clock::duration>(
                  std::chrono::duration<double>(std::min(options.time_limit_s, 1e9)));
}

bool MipShouldStop(const MipOptions& options, std::chrono::steady_clock::time_point deadline) {
  return std::chrono::steady_clock::now() >= deadline ||
         (options.interrupt && options.interrupt->load(std::memory_order_relaxed));
}

MipResult MipBackend::Solve(const MipModel& model, const MipOptions& options) const {
  const Clock::time_point t0 = Clock::now();
  MipResult result;
  result.backend = name();
  if (std::string err = model.Validate(); !err.empty()) {
    result.status = MipStatus::kError;
    result.message = "invalid model: " + err;
  } else {
    Run(model, options, t0, &result);
    result.backend = name();
  }
  result.time_s = std::chrono::duration<double>(Clock::now() - t0).count();
  if (result.status != MipStatus::kError) FinishResult(model, options, &result);
  return result;
}

std::unique_ptr<MipBackend> MakeBackend(const std::string& name, std::string* message) {
  std::string want = name;
  if (want.empty()) {
    auto names = AvailableBackends();
    if (names.empty()) {
      if (message) *message = "no MILP backend was built in (neither HiGHS nor CBC found)";
      return nullptr;
    }
    want = names.front();
  }
#ifdef DIVIML_HAVE_HIGHS
  if (want == "highs") return MakeHighsBackend();
#endif
#ifdef DIVIML_HAVE_CBC
  if (want == "cbc") return MakeCbcBackend();
#endif
  if (message) {
    if (want == "highs" || want == "cbc")
      *message = "MILP backend '" + want + "' was not built in";
    else
      *message = "unknown MILP backend '" + want + "' (known: highs, cbc)";
    auto names = AvailableBackends();
    *message += "; available:";
    if (names.empty()) *message += " none";
    for (const auto& n : names) *message += " " + n;
  }
  return nullptr;
}

MipResult SolveMip(const MipModel& model, const MipOptions& options, const std::string& backend) {
  std::string message;
  auto b = MakeBackend(backend, &message);
  if (!b) {
    MipResult r;
    r.status = MipStatus::kError;
    r.backend = backend;
    r.message = message;
    return r;
  }
  return b->Solve(model, options);
}

}  // namespace diviml::milp
