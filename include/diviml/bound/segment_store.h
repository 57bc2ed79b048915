// Results on segment sub-problems shared between the module-chain bound
// (ModuleChainBound, on the split solver's bound thread) and the split
// solver's chain pass (on the plan thread): both solve MILPs of the same
// (segment, entry device, exit device) sub-problems, SegmentProblem() of
// the same inputs, so each can use what the other proved or found
// (docs/split.md, "Segment store"). Keyed by Signature() of the
// sub-problem; a plan uses its local node ids, valid for every
// sub-problem of that signature (repeated blocks share entries).
#pragma once

#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "diviml/core/plan.h"

namespace diviml {

class SegmentStore {
 public:
  struct Record {
    double lower_s = 0;   // a proven lower bound on the sub-problem's optimum
    bool proven = false;  // lower_s is its optimum (an exact solver said so)
    double plan_s = std::numeric_limits<double>::infinity();  // makespan of `plan` on the sub-problem
    Plan plan;            // the best plan offered (empty: none)
  };

  // Raises the record of `key`: lower_s to the larger value (a proven
  // optimum replaces an unproven bound and is kept against later
  // unproven ones), the plan when plan_s is shorter. plan may be null.
  // Thread-safe. O(log size + |key| + size of plan).
  void Offer(const std::string& key, double lower_s, bool proven, const Plan* plan, double plan_s);

  // The record of `key`, or nullopt; without_plan leaves its plan out.
  // Thread-safe. O(log size + |key| + size of the plan copied).
  std::optional<Record> Find(const std::string& key, bool with_plan = true) const;

  // Counters: records, offers with a plan that was kept, proven records;
  // version() grows with every Offer() that changed a record (a reader
  // polls it to skip a rescan when nothing changed).
  int size() const;
  long version() const;
  int plans_kept() const;
  int proven() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, Record> map_;
  int plans_kept_ = 0;
  long version_ = 0;
};

}  // namespace diviml
