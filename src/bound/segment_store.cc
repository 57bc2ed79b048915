// SegmentStore (include/diviml/bound/segment_store.h).
#include "diviml/bound/segment_store.h"

#include <algorithm>

namespace diviml {

void SegmentStore::Offer(const std::string& key, double lower_s, bool proven, const Plan* plan, double plan_s) {
  std::lock_guard<std::mutex> lock(mu_);
  Record& r = map_[key];
  bool changed = false;
  if (proven && !r.proven) {
    r.lower_s = lower_s;
    r.proven = true;
    changed = true;
  } else if (!r.proven && lower_s > r.lower_s) {
    r.lower_s = lower_s;
    changed = true;
  }
  if (plan && !plan->device.empty() && plan_s < r.plan_s) {
    r.plan = *plan;
    r.plan_s = plan_s;
    ++plans_kept_;
    changed = true;
  }
  version_ += changed;
}

std::optional<SegmentStore::Record> SegmentStore::Find(const std::string& key, bool with_plan) const {
  std::lock_guard<std::mutex> lock(mu_);
  const auto it = map_.find(key);
  if (it == map_.end()) return std::nullopt;
  if (with_plan) return it->second;
  Record r;
  r.lower_s = it->second.lower_s;
  r.proven = it->second.proven;
  r.plan_s = it->second.plan_s;
  return r;
}

int SegmentStore::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(map_.size());
}

long SegmentStore::version() const {
  std::lock_guard<std::mutex> lock(mu_);
  return version_;
}

int SegmentStore::plans_kept() const {
  std::lock_guard<std::mutex> lock(mu_);
  return plans_kept_;
}

int SegmentStore::proven() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(std::count_if(map_.begin(), map_.end(), [](const auto& kv) { return kv.second.proven; }));
}

}  // namespace diviml
