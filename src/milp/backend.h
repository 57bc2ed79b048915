// MipBackend: one MILP solver behind the solver-neutral model of model.h.
// A backend is stateless; Solve() may be called repeatedly and from several
// threads (the CBC backend serialises its solves internally).
#pragma once

#include <chrono>

#include <memory>
#include <string>
#include <vector>

#include "milp/model.h"

namespace diviml::milp {

class MipBackend {
 public:
  virtual ~MipBackend() = default;
  virtual std::string name() const = 0;
  // Solves the model whole. Never throws: backend failures come back as
  // MipStatus::kError with a message. Validates the model, times the solve
  // and post-processes the result (FinishResult) around Run().
  MipResult Solve(const MipModel& model, const MipOptions& options) const;

 protected:
  using Clock = std::chrono::steady_clock;
  // The backend's own work on a valid model: fills *result (backend name
  // already set); t0 is when Solve() began, for wall-clock limits.
  virtual void Run(const MipModel& model, const MipOptions& options, Clock::time_point t0,
                   MipResult* result) const = 0;
};

// For the backends' callbacks: when options.time_limit_s, counted from t0,
// runs out (max() without a limit), and whether to stop now: past that
// deadline or options.interrupt set. O(1).
std::chrono::steady_clock::time_point MipDeadline(const MipOptions& options,
                                                  std::chrono::steady_clock::time_point t0);
bool MipShouldStop(const MipOptions& options, std::chrono::steady_clock::time_point deadline);

// "highs", "cbc", or "" = the best available (HiGHS, else CBC). Returns
// nullptr and sets *message (when given) when the backend is unknown or was
// not built in.
std::unique_ptr<MipBackend> MakeBackend(const std::string& name, std::string* message = nullptr);

// Names of the backends built in, best first.
std::vector<std::string> AvailableBackends();

// Convenience: MakeBackend(backend) then Solve; kError with the message when
// no backend is available.
MipResult SolveMip(const MipModel& model, const MipOptions& options,
                   const std::string& backend = "");

}  // namespace diviml::milp
