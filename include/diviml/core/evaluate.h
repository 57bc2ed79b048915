// Evaluate(): the one independent check of any plan. It recomputes the
// schedule from the plan alone (every node starts as soon as its device is
// free and all its inputs have arrived) and lists every violation.
// O(V + E) plus O(V log V) for the order checks.
#pragma once

#include <string>
#include <vector>

#include "diviml/core/plan.h"
#include "diviml/core/problem.h"

namespace diviml {

// What is wrong with a plan, by kind (the text says where).
enum class ViolationCode {
  kShape,     // plan sized for another graph or platform
  kNoDevice,  // a node without a device, or with an unknown one
  kPinned,    // a node off the device it is pinned to
  kOrder,     // device orders: a node missing, twice, or on the wrong device
  kDeadlock,  // device orders contradict the graph's precedence
  kMemory,    // a device holds more than its capacity
};
const char* ViolationCodeName(ViolationCode c);  // "shape", "no_device", ...

struct Evaluation {
  bool valid = false;
  std::vector<std::string> violations;        // human-readable, one per problem
  std::vector<ViolationCode> violation_codes;  // the same problems, typed
  Schedule schedule;                    // meaningful only when valid
  double makespan_s = 0;
  std::vector<double> device_busy_s;    // compute time per device
  std::vector<double> device_param_bytes;

  void Add(ViolationCode code, std::string text);  // appends to both lists
};

Evaluation Evaluate(const Problem& problem, const Plan& plan);

}  // namespace diviml
