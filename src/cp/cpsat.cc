// CP-SAT through OR-Tools' C API (cpsat.h, docs/cp.md).
#include "cp/cpsat.h"

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "cp/wire.h"

#ifndef DIVIML_ORTOOLS_LIB_DEFAULT
#define DIVIML_ORTOOLS_LIB_DEFAULT ""
#endif

#if defined(__SANITIZE_ADDRESS__)
#define DIVIML_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define DIVIML_SANITIZED 1
#endif
#endif

namespace diviml::cp {

// Field numbers of OR-Tools' cp_model.proto and sat_parameters.proto
// (OR-Tools 9.15; protobuf keeps field numbers stable across versions).
namespace field {
constexpr int kModelVariables = 2, kModelConstraints = 3, kModelObjective = 4, kModelHint = 6;
constexpr int kVarName = 1, kVarDomain = 2;
constexpr int kConsName = 1, kConsEnforcement = 2, kConsLinear = 12, kConsInterval = 19, kConsNoOverlap = 20,
              kConsExactlyOne = 29;
constexpr int kLinVars = 1, kLinCoeffs = 2, kLinDomain = 3;
constexpr int kExprVars = 1, kExprCoeffs = 2, kExprOffset = 3;
constexpr int kIntervalStart = 4, kIntervalEnd = 5, kIntervalSize = 6;
constexpr int kNoOverlapIntervals = 1, kBoolLiterals = 1;
constexpr int kObjVars = 1, kObjCoeffs = 4;
constexpr int kHintVars = 1, kHintValues = 2;
constexpr int kParMaxTime = 36, kParSeed = 31, kParInterleave = 136, kParWorkers = 206, kParLinearization = 90,
              kParCatchSigint = 135;
constexpr int kRespStatus = 1, kRespSolution = 2, kRespObjective = 3, kRespBound = 4, kRespWallTime = 15;
}  // namespace field

int CpModel::NewInt(int64_t lb, int64_t ub, std::string name) {
  vars_.push_back({lb, ub, std::move(name)});
  return static_cast<int>(vars_.size()) - 1;
}

void CpModel::AddLinear(const std::vector<std::pair<int, int64_t>>& terms, int64_t lb, int64_t ub, std::string name,
                        const std::vector<int>& enforce) {
  Constraint c{Constraint::kLinear, std::move(name), enforce, {}, {}, lb, ub};
  for (const auto& [v, a] : terms) {
    if (a == 0) continue;
    c.vars.push_back(v);
    c.coeffs.push_back(a);
  }
  constraints_.push_back(std::move(c));
}

void CpModel::AddExactlyOne(const std::vector<int>& bools, std::string name) {
  constraints_.push_back({Constraint::kExactlyOne, std::move(name), {}, bools, {}, 0, 0});
}

int CpModel::AddInterval(int start, int64_t size, int end, int presence, std::string name) {
  std::vector<int> enforce;
  if (presence >= 0) enforce.push_back(presence);
  AddLinear({{start, 1}, {end, -1}}, -size, -size, name + ".end", enforce);
  Constraint c{Constraint::kInterval, std::move(name), enforce, {}, {}, size, size};
  c.start = start;
  c.end = end;
  constraints_.push_back(std::move(c));
  interval_constraint_.push_back(static_cast<int>(constraints_.size()) - 1);
  return static_cast<int>(interval_constraint_.size()) - 1;
}

void CpModel::AddNoOverlap(const std::vector<int>& intervals, std::string name) {
  Constraint c{Constraint::kNoOverlap, std::move(name), {}, {}, {}, 0, 0};
  for (int iv : intervals) c.vars.push_back(iv);
  constraints_.push_back(std::move(c));
}

std::string CpModel::Check() const {
  const int nv = num_variables();
  auto bad_var = [&](int v) { return v < 0 || v >= nv; };
  for (int v = 0; v < nv; ++v)
    if (vars_[v].lb > vars_[v].ub) return fmt::format("variable {} has an empty domain", vars_[v].name);
  for (const Constraint& c : constraints_) {
    for (int e : c.enforce)
      if (bad_var(e)) return "constraint " + c.name + ": enforcement literal out of range";
    if (c.kind == Constraint::kNoOverlap) {
      for (int iv : c.vars)
        if (iv < 0 || iv >= static_cast<int>(interval_constraint_.size()))
          return "constraint " + c.name + ": interval out of range";
      continue;
    }
    for (int v : c.vars)
      if (bad_var(v)) return "constraint " + c.name + ": variable out of range";
    if (c.kind == Constraint::kInterval && (bad_var(c.start) || bad_var(c.end)))
      return "constraint " + c.name + ": interval variable out of range";
    if (c.kind == Constraint::kLinear && c.lb > c.ub) return "constraint " + c.name + ": empty range";
  }
  if (bad_var(objective_)) return "no objective";
  for (const auto& [v, x] : hints_)
    if (bad_var(v)) return "hint out of range";
  return "";
}

std::string CpModel::Serialize() const {
  wire::Writer model;
  for (const Var& v : vars_) {
    wire::Writer w;
    w.Bytes(field::kVarName, v.name);
    w.Packed(field::kVarDomain, std::vector<int64_t>{v.lb, v.ub});
    model.Bytes(field::kModelVariables, w.str());
  }
  auto expr = [](int var, int64_t offset) {
    wire::Writer e;
    if (var >= 0) {
      e.Packed(field::kExprVars, std::vector<int>{var});
      e.Packed(field::kExprCoeffs, std::vector<int64_t>{1});
    }
    if (offset != 0) e.Int(field::kExprOffset, offset);
    return e.str();
  };
  for (const Constraint& c : constraints_) {
    wire::Writer w;
    w.Bytes(field::kConsName, c.name);
    w.Packed(field::kConsEnforcement, c.enforce);
    wire::Writer body;
    switch (c.kind) {
      case Constraint::kLinear:
        body.Packed(field::kLinVars, c.vars);
        body.Packed(field::kLinCoeffs, c.coeffs);
        body.Packed(field::kLinDomain, std::vector<int64_t>{c.lb, c.ub});
        w.Bytes(field::kConsLinear, body.str());
        break;
      case Constraint::kExactlyOne:
        body.Packed(field::kBoolLiterals, c.vars);
        w.Bytes(field::kConsExactlyOne, body.str());
        break;
      case Constraint::kInterval:
        body.Bytes(field::kIntervalStart, expr(c.start, 0));
        body.Bytes(field::kIntervalEnd, expr(c.end, 0));
        body.Bytes(field::kIntervalSize, expr(-1, c.lb));
        w.Bytes(field::kConsInterval, body.str());
        break;
      case Constraint::kNoOverlap: {
        std::vector<int> ids;
        for (int iv : c.vars) ids.push_back(interval_constraint_[iv]);
        body.Packed(field::kNoOverlapIntervals, ids);
        w.Bytes(field::kConsNoOverlap, body.str());
        break;
      }
    }
    model.Bytes(field::kModelConstraints, w.str());
  }
  {
    wire::Writer obj;
    obj.Packed(field::kObjVars, std::vector<int>{objective_});
    obj.Packed(field::kObjCoeffs, std::vector<int64_t>{1});
    model.Bytes(field::kModelObjective, obj.str());
  }
  if (!hints_.empty()) {
    wire::Writer h;
    std::vector<int> hv;
    std::vector<int64_t> hx;
    for (const auto& [v, x] : hints_) hv.push_back(v), hx.push_back(x);
    h.Packed(field::kHintVars, hv);
    h.Packed(field::kHintValues, hx);
    model.Bytes(field::kModelHint, h.str());
  }
  return model.str();
}

const char* CpStatusName(CpStatus s) {
  switch (s) {
    case CpStatus::kUnknown: return "unknown";
    case CpStatus::kModelInvalid: return "model_invalid";
    case CpStatus::kFeasible: return "feasible";
    case CpStatus::kInfeasible: return "infeasible";
    case CpStatus::kOptimal: return "optimal";
    case CpStatus::kError: return "error";
  }
  return "?";
}

namespace {

// The C API of OR-Tools 9.15 (ortools/sat/c_api/cp_solver_c.h).
struct Api {
  void* (*new_env)() = nullptr;
  void (*destroy_env)(void*) = nullptr;
  void (*stop_search)(void*) = nullptr;
  void (*solve)(void*, const void*, int, const void*, int, void**, int*) = nullptr;
  std::string path, error;
  bool ok() const { return solve != nullptr; }
};

const Api& LoadApi() {
  static const Api api = [] {
    Api a;
    const char* env = std::getenv("DIVIML_ORTOOLS_LIB");
    a.path = env && *env ? env : DIVIML_ORTOOLS_LIB_DEFAULT;
#ifdef DIVIML_SANITIZED
    a.error = "CP-SAT is not loaded in sanitizer builds (its library is opened with RTLD_DEEPBIND)";
    return a;
#else
    if (a.path.empty()) {
      a.error = "no OR-Tools library configured (set DIVIML_ORTOOLS_LIB or run scripts/setup-ortools.sh)";
      return a;
    }
    // RTLD_DEEPBIND: the library resolves its own bundled protobuf and
    // abseil first; without it, Debian's libprotobuf (linked for the ONNX
    // importer) shadows them and the process aborts at load.
    void* h = dlopen(a.path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
    if (!h) {
      const char* e = dlerror();
      a.error = fmt::format("cannot load {}: {} (run scripts/setup-ortools.sh)", a.path, e ? e : "?");
      return a;
    }
    a.new_env = reinterpret_cast<void* (*)()>(dlsym(h, "SolveCpNewEnv"));
    a.destroy_env = reinterpret_cast<void (*)(void*)>(dlsym(h, "SolveCpDestroyEnv"));
    a.stop_search = reinterpret_cast<void (*)(void*)>(dlsym(h, "SolveCpStopSearch"));
    a.solve = reinterpret_cast<void (*)(void*, const void*, int, const void*, int, void**, int*)>(
        dlsym(h, "SolveCpInterruptible"));
    if (!a.new_env || !a.destroy_env || !a.stop_search || !a.solve) {
      a.solve = nullptr;
      a.error = a.path + " lacks OR-Tools 9.15's C API (SolveCpNewEnv, SolveCpInterruptible)";
    }
    return a;
#endif
  }();
  return api;
}

bool ParseResponse(const char* data, size_t size, int num_vars, CpResult* r) {
  wire::Reader rd(data, size);
  int f, wt;
  uint64_t status = 0;
  std::vector<int64_t> solution;
  while (rd.Next(&f, &wt)) {
    bool ok = true;
    if (f == field::kRespStatus && wt == 0) ok = rd.ReadVarint(&status);
    else if (f == field::kRespSolution) ok = rd.ReadInts(wt, &solution);
    else if (f == field::kRespObjective && wt == 1) ok = rd.ReadDouble(&r->objective);
    else if (f == field::kRespBound && wt == 1) ok = rd.ReadDouble(&r->bound);
    else if (f == field::kRespWallTime && wt == 1) ok = rd.ReadDouble(&r->wall_s);
    else ok = rd.Skip(wt);
    if (!ok) break;
  }
  if (!rd.ok() || status > 4) return false;
  r->status = static_cast<CpStatus>(status);
  if ((r->status == CpStatus::kFeasible || r->status == CpStatus::kOptimal)) {
    if (static_cast<int>(solution.size()) != num_vars) return false;
    r->values = std::move(solution);
  }
  return true;
}

}  // namespace

bool CpSatAvailable(std::string* why) {
  const Api& a = LoadApi();
  if (why) *why = a.error;
  return a.ok();
}

std::string CpSatLibraryPath() { return LoadApi().path; }

CpResult SolveCp(const CpModel& model, const CpParams& params) {
  CpResult r;
  if (std::string err = model.Check(); !err.empty()) {
    r.message = "malformed CP model: " + err;
    return r;
  }
  const Api& api = LoadApi();
  if (!api.ok()) {
    r.message = api.error;
    return r;
  }
  const std::string req = model.Serialize();
  wire::Writer par;
  par.Double(field::kParMaxTime, std::max(0.0, params.time_limit_s));
  par.Int(field::kParWorkers, std::max(1, params.workers));
  par.Int(field::kParSeed, params.seed);
  // CP-SAT would install its own SIGINT handler (and leave it behind, with
  // nothing to call: a later Ctrl-C aborted the process); interrupts come
  // through params.interrupt instead.
  par.Int(field::kParCatchSigint, 0);
  if (params.interleave) par.Int(field::kParInterleave, 1);
  if (params.linearization != 1) par.Int(field::kParLinearization, params.linearization);
  void* env = api.new_env();
  // The interrupt flag, forwarded to the search (polled every 5 ms).
  std::atomic<bool> done{false};
  std::thread watcher;
  if (params.interrupt)
    watcher = std::thread([&] {
      while (!done) {
        if (*params.interrupt) {
          api.stop_search(env);
          return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    });
  void* res = nullptr;
  int len = 0;
  api.solve(env, req.data(), static_cast<int>(req.size()), par.str().data(), static_cast<int>(par.str().size()), &res,
            &len);
  done = true;
  if (watcher.joinable()) watcher.join();
  api.destroy_env(env);
  if (!res) {
    r.message = "CP-SAT returned no response";
    return r;
  }
  const bool parsed = ParseResponse(static_cast<const char*>(res), static_cast<size_t>(len), model.num_variables(), &r);
  std::free(res);  // the C API hands over a malloc'd copy
  if (!parsed) {
    r.status = CpStatus::kError;
    r.values.clear();
    r.message = "CP-SAT's response did not parse";
  } else if (r.status == CpStatus::kModelInvalid) {
    r.message = "CP-SAT rejected the model";
  }
  return r;
}

}  // namespace diviml::cp
