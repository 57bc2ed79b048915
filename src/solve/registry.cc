// The solver registry (include/diviml/solve/registry.h): one record per
// solver, the parameter checks, and the option structs built from checked
// values. Adding a solver = adding one record here.
#include "diviml/solve/registry.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <tuple>

#include <fmt/format.h>

#include "diviml/util/error.h"

namespace diviml {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
const std::vector<Objective> kLatencyOnly = {Objective::kLatency};
const std::vector<Objective> kBoth = {Objective::kLatency, Objective::kThroughput};

ParamSpec Int(std::string name, std::string unit, long long def, double lo, double hi, std::string text) {
  return {std::move(name), ParamType::kInt, std::move(unit), std::to_string(def), lo, hi, {}, std::move(text)};
}
ParamSpec Double(std::string name, std::string unit, double def, double lo, double hi, std::string text) {
  return {std::move(name), ParamType::kDouble, std::move(unit), fmt::format("{}", def), lo, hi, {}, std::move(text)};
}
ParamSpec Bool(std::string name, bool def, std::string text) {
  return {std::move(name), ParamType::kBool, "", def ? "true" : "false", -kInf, kInf, {}, std::move(text)};
}
ParamSpec Choice(std::string name, std::string def, std::vector<std::string> choices, std::string text) {
  return {std::move(name), ParamType::kChoice, "", std::move(def), -kInf, kInf, std::move(choices), std::move(text)};
}

std::vector<ParamSpec> RlsParams() {
  return {Int("rls.max_tries", "tries", 0, 0, 1e9,
              "randomised tries; 0 = automatic: clamp(3e7 / ((V + E) m), 10, 2000)")};
}

std::vector<ParamSpec> MilpParams() {
  return {
      Choice("milp.formulation", "auto", {"auto", "disjunctive", "time_indexed"},
             "time_indexed needs identical devices, free transfers and whole-number times; auto uses it "
             "where it applies and stays below milp.time_indexed_max_columns"),
      Int("milp.time_indexed_max_columns", "columns", 200000, 1, 1e12,
          "largest time-indexed model auto builds"),
      Choice("milp.disjunctive", "per_device", {"per_device", "sequence"},
             "encoding of one node at a time per device (docs/milp.md)"),
      Choice("milp.transfer", "auto", {"auto", "pairwise", "flow", "cut"},
             "linearisation of the transfer delays (docs/milp.md)"),
      Bool("milp.symmetry_breaking", true, "first-use order within identical devices"),
      Bool("milp.load_rows", true, "T >= the load of every device"),
      Bool("milp.ancestor_rows", false, "per node and device: its ancestors' load before its start, its descendants' after its end"),
      Bool("milp.warm_start", true, "start the backend from the best heuristic plan"),
      Bool("milp.run_heuristics", true, "HEFT, PEFT and rls before the MILP"),
      Double("milp.heuristic_share", "share", 0.25, 0, 1, "share of the time limit for the heuristics"),
      Int("milp.rls_tries", "tries", 0, 0, 1e9, "tries per rls round (0 = automatic)"),
      Int("milp.rls_rounds", "rounds", 20, 1, 1e6, "most rls rounds, each with a fresh seed"),
      Bool("milp.energetic_bound", true, "raise the lower bound by energetic reasoning first"),
      Bool("milp.strict_improvement", false,
           "whole-number times: ask the MILP only for plans at least 1 better than the heuristic"),
  };
}

std::vector<ParamSpec> CpParams() {
  return {
      Int("cp.workers", "threads", 0, 0, 256, "CP-SAT workers (0 = --threads); one worker interleaves CP-SAT's subsolvers"),
      Double("cp.resolution", "ticks", 1e11, 10, 1e13,
             "ticks per makespan: times are rounded down to best start plan / resolution (docs/cp.md)"),
  };
}

std::vector<ParamSpec> SplitParams() {
  return {
      Int("split.module_size", "nodes", 24, 2, 200, "largest group solved as one MILP"),
      Bool("split.auto_module_size", true,
           "32-node groups on graphs with 25-32-node modules, >= 0.11 s per node, <= 3.5 edges per node (off when module_size is given)"),
      Double("split.default_time_limit", "s", 20, 0.01, 1e9, "budget when no --time-limit is given"),
      Double("split.bound_share", "share", 0.9, 0, 1,
             "share of the budget for the module-chain bound on a second thread (0 = none)"),
      Bool("split.repair", true, "re-solve windows across group boundaries after the forward pass"),
      Double("split.forward_share", "share", 0.6, 0, 1, "share of the budget for the forward pass when repairing"),
      Int("split.bound_threads", "threads", 0, 0, 256,
          "workers for the module-chain bound's segment MILPs (0 = --threads minus 1, at least 1)"),
      Double("split.local_search_share", "share", 0.1, 0, 0.5,
             "share of the budget for the local search over the whole plan after repair (0 = off)"),
      Double("split.chain_share", "share", 0.15, 0, 0.5,
             "share of the budget for the chain pass: per-module plans for every device pair at its cut nodes, "
             "a shortest path picks the cut nodes' devices (0 = off)"),
      Bool("split.cp_segments", true,
           "the module-chain bound first solves every segment of >= 9 module nodes with CP-SAT, entry and exit free "
           "(needs OR-Tools; without it, off)"),
      Bool("split.share_segments", true,
           "the bound thread's segment MILPs and the chain pass share bounds and plans; a last chain path after the bound"),
  };
}

std::vector<ParamSpec> LlmParams(const std::string& solver) {
  return {
      Choice(solver + ".tensor_parallel", "auto", {"auto", "1", "2", "4", "8"},
             "tensor parallelism over identical GPUs of a server: auto = per stage the best degree (alias --tensor-parallel)"),
      Int(solver + ".max_servers", "servers", 0, 0, 1e6, "most servers to use; 0 = all (alias --max-servers)"),
      Choice(solver + ".target", "none", {"none", "vllm", "llamacpp", "torch-pipelining"},
             "only plans this runtime can run (alias --target)"),
      Choice(solver + ".granularity", "layer", {"layer", "operator"},
             "operator: a stage may also put every layer's attention and MLP on two devices of its server"),
  };
}

std::vector<SolverRecord> MakeRegistry() {
  std::vector<SolverRecord> r;
  auto add = [&](SolverRecord rec) { r.push_back(std::move(rec)); };
  add({"single", kBoth, "every node on the best single device", "baseline", {},
       [](const ParamValues&) { return MakeSingleSolver(); }, SolveThroughputSingle});
  add({"heft", kLatencyOnly, "insertion-based HEFT: upward rank, earliest finish time",
       "Topcuoglu, Hariri, Wu 2002", {}, [](const ParamValues&) { return MakeHeftSolver(); }, nullptr});
  add({"peft", kLatencyOnly, "optimistic cost table, EFT + OCT device choice", "Arabnejad, Barbosa 2014", {},
       [](const ParamValues&) { return MakePeftSolver(); }, nullptr});
  add({"cpop", kLatencyOnly, "critical path on a processor", "Topcuoglu, Hariri, Wu 2002", {},
       [](const ParamValues&) { return MakeCpopSolver(); }, nullptr});
  add({"etf", kLatencyOnly, "earliest time first", "Hwang et al. 1989", {},
       [](const ParamValues&) { return MakeEtfSolver(); }, nullptr});
  add({"rls", kLatencyOnly, "randomised list scheduling: rank + noise, many seeded tries, keeps the best",
       "ours", RlsParams(), [](const ParamValues& v) { return MakeRandomListSolver(RandomListOptionsFrom(v)); },
       nullptr});
  add({"milp", kBoth, "exact MILP (HiGHS or CBC): proven optimal, or a gap at the time limit", "docs/milp.md",
       MilpParams(), [](const ParamValues& v) { return MakeMilpSolver(MilpOptionsFrom(v)); },
       SolveThroughputMilp});
  add({"cp", kLatencyOnly, "exact constraint programming (CP-SAT, OR-Tools): proven optimal, or a gap at the time limit",
       "docs/cp.md", CpParams(), [](const ParamValues& v) { return MakeCpSolver(CpOptionsFrom(v)); }, nullptr});
  add({"split", kBoth,
       "module-based splitting: groups of cut-node modules solved by the MILP, repair, module-chain bound",
       "docs/split.md", SplitParams(), [](const ParamValues& v) { return MakeSplitSolver(SplitOptionsFrom(v)); },
       SolveThroughputSplit});
  add({"tp-heuristic", {Objective::kThroughput},
       "throughput: greedy starts refined by local search", "docs/throughput.md", {}, nullptr,
       SolveThroughputHeuristic});
  for (const auto& [name, strategy, text] :
       {std::tuple<const char*, const char*, const char*>{
            "llm", "dp", "LLM over servers: contiguous stages by a DP over layers x servers per type (llm: graphs)"},
        {"llm-memory", "memory", "LLM baseline: layers proportional to memory (exo's split), best server count"},
        {"llm-flops", "flops", "LLM baseline: layers proportional to peak FLOP/s, best server count"}}) {
    SolverRecord rec{name, kBoth, text, "docs/llm.md", LlmParams(name), nullptr, nullptr};
    rec.llm_strategy = strategy;
    add(std::move(rec));
  }
  add({"auto", {Objective::kThroughput},
       "throughput: milp (10 s) up to 30 nodes when a backend is built, else split", "docs/throughput.md", {},
       nullptr, nullptr});
  return r;
}

bool ParseBool(const std::string& s, bool* out) {
  if (s == "true" || s == "1" || s == "on" || s == "yes") return *out = true, true;
  if (s == "false" || s == "0" || s == "off" || s == "no") return *out = false, true;
  return false;
}

bool ParseDouble(const std::string& s, double* out) {
  if (s.empty()) return false;
  size_t used = 0;
  try {
    *out = std::stod(s, &used);
  } catch (...) {
    return false;
  }
  return used == s.size() && std::isfinite(*out);
}

bool ParseInt(const std::string& s, long long* out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

std::string Range(const ParamSpec& p) {
  return fmt::format("[{}, {}]", p.min, p.max);
}

// Checks text against the spec; returns the canonical text or an error.
std::string Check(const ParamSpec& p, const std::string& text, std::string* error) {
  switch (p.type) {
    case ParamType::kInt: {
      long long v = 0;
      if (!ParseInt(text, &v)) return *error = "expected an integer", "";
      if (v < p.min || v > p.max) return *error = "out of range " + Range(p), "";
      return std::to_string(v);
    }
    case ParamType::kDouble: {
      double v = 0;
      if (!ParseDouble(text, &v)) return *error = "expected a number", "";
      if (v < p.min || v > p.max) return *error = "out of range " + Range(p), "";
      return fmt::format("{}", v);
    }
    case ParamType::kBool: {
      bool v = false;
      if (!ParseBool(text, &v)) return *error = "expected true or false", "";
      return v ? "true" : "false";
    }
    case ParamType::kChoice: {
      if (std::find(p.choices.begin(), p.choices.end(), text) == p.choices.end()) {
        std::string list;
        for (const auto& c : p.choices) list += (list.empty() ? "" : ", ") + c;
        return *error = "expected one of " + list, "";
      }
      return text;
    }
  }
  return *error = "unknown type", "";
}

}  // namespace

const char* ObjectiveName(Objective o) { return o == Objective::kLatency ? "latency" : "throughput"; }

std::optional<Objective> ParseObjective(const std::string& name) {
  if (name == "latency") return Objective::kLatency;
  if (name == "throughput") return Objective::kThroughput;
  return std::nullopt;
}

const char* ParamTypeName(ParamType t) {
  switch (t) {
    case ParamType::kInt: return "int";
    case ParamType::kDouble: return "double";
    case ParamType::kBool: return "bool";
    case ParamType::kChoice: return "choice";
  }
  return "int";
}

bool SolverRecord::Supports(Objective o) const {
  return std::find(objectives.begin(), objectives.end(), o) != objectives.end();
}

const std::vector<SolverRecord>& SolverRegistry() {
  static const std::vector<SolverRecord> registry = MakeRegistry();
  return registry;
}

const SolverRecord* FindSolver(const std::string& name) {
  for (const SolverRecord& r : SolverRegistry())
    if (r.name == name) return &r;
  return nullptr;
}

std::string SolverNameList(Objective o) {
  std::string list;
  for (const SolverRecord& r : SolverRegistry())
    if (r.Supports(o)) list += (list.empty() ? "" : ", ") + r.name;
  return list;
}

const ParamSpec& ParamValues::Spec(const std::string& name, ParamType type) const {
  for (const ParamSpec& p : specs_)
    if (p.name == name) {
      if (p.type != type) throw std::logic_error("parameter " + name + " is not of type " + ParamTypeName(type));
      return p;
    }
  throw std::logic_error("no parameter " + name);
}

long long ParamValues::Int(const std::string& name) const {
  Spec(name, ParamType::kInt);
  return std::stoll(values_.at(name));
}
double ParamValues::Double(const std::string& name) const {
  Spec(name, ParamType::kDouble);
  return std::stod(values_.at(name));
}
bool ParamValues::Bool(const std::string& name) const {
  Spec(name, ParamType::kBool);
  return values_.at(name) == "true";
}
const std::string& ParamValues::Choice(const std::string& name) const {
  Spec(name, ParamType::kChoice);
  return values_.at(name);
}
bool ParamValues::IsSet(const std::string& name) const {
  return std::find(set_.begin(), set_.end(), name) != set_.end();
}

ParamValues ResolveParams(const SolverRecord& rec, Objective objective, const std::vector<std::string>& assignments) {
  ParamValues v;
  v.specs_ = rec.params;
  for (const ParamSpec& p : rec.params) v.values_[p.name] = p.default_value;
  for (const std::string& a : assignments) {
    const size_t eq = a.find('=');
    const std::string what = "--param " + a + ": ";
    if (eq == std::string::npos || eq == 0) throw InputError(what + "expected NAME=VALUE");
    const std::string name = a.substr(0, eq), value = a.substr(eq + 1);
    const ParamSpec* spec = nullptr;
    for (const ParamSpec& p : rec.params)
      if (p.name == name) spec = &p;
    if (!spec) {
      const std::string owner = name.substr(0, name.find('.'));
      if (owner != rec.name && FindSolver(owner) && name.find('.') != std::string::npos)
        throw InputError(what + "a parameter of solver '" + owner + "', not of '" + rec.name + "'");
      std::string known;
      for (const ParamSpec& p : rec.params) known += (known.empty() ? "" : ", ") + p.name;
      throw InputError(what + "unknown parameter of solver '" + rec.name + "' (" +
                       (known.empty() ? "it has none" : "known: " + known) + ")");
    }
    if (objective != Objective::kLatency && rec.llm_strategy.empty())
      throw InputError(what + "solver parameters apply to --objective latency only");
    if (v.IsSet(name)) throw InputError(what + "given twice");
    std::string error;
    std::string canonical = Check(*spec, value, &error);
    if (!error.empty()) throw InputError(what + error);
    v.values_[name] = canonical;
    v.set_.push_back(name);
  }
  return v;
}

std::unique_ptr<Solver> MakeSolver(const SolverRecord& record, const ParamValues& params) {
  if (!record.make) throw InputError("--solver: '" + record.name + "' does not support --objective latency (" +
                                     SolverNameList(Objective::kLatency) + ")");
  return record.make(params);
}

std::unique_ptr<Solver> MakeSolver(const std::string& name) {
  const SolverRecord* rec = FindSolver(name);
  if (!rec || !rec->make) return nullptr;
  return rec->make(ResolveParams(*rec, Objective::kLatency, {}));
}

RandomListOptions RandomListOptionsFrom(const ParamValues& v) {
  RandomListOptions o;
  o.max_tries = static_cast<int>(v.Int("rls.max_tries"));
  return o;
}

CpOptions CpOptionsFrom(const ParamValues& v) {
  CpOptions o;
  o.workers = static_cast<int>(v.Int("cp.workers"));
  o.resolution = v.Double("cp.resolution");
  return o;
}

MilpOptions MilpOptionsFrom(const ParamValues& v) {
  MilpOptions o;
  const std::string& f = v.Choice("milp.formulation");
  o.formulation = f == "disjunctive"    ? MilpOptions::Formulation::kDisjunctive
                  : f == "time_indexed" ? MilpOptions::Formulation::kTimeIndexed
                                        : MilpOptions::Formulation::kAuto;
  o.time_indexed_max_columns = v.Int("milp.time_indexed_max_columns");
  o.disjunctive = v.Choice("milp.disjunctive") == "sequence" ? MilpOptions::Disjunctive::kSequence
                                                             : MilpOptions::Disjunctive::kPerDevice;
  const std::string& t = v.Choice("milp.transfer");
  o.transfer = t == "pairwise" ? MilpOptions::Transfer::kPairwise
               : t == "flow"   ? MilpOptions::Transfer::kFlow
               : t == "cut"    ? MilpOptions::Transfer::kCut
                               : MilpOptions::Transfer::kAuto;
  o.symmetry_breaking = v.Bool("milp.symmetry_breaking");
  o.load_rows = v.Bool("milp.load_rows");
  o.ancestor_rows = v.Bool("milp.ancestor_rows");
  o.warm_start = v.Bool("milp.warm_start");
  o.run_heuristics = v.Bool("milp.run_heuristics");
  o.heuristic_share = v.Double("milp.heuristic_share");
  o.rls_tries = static_cast<int>(v.Int("milp.rls_tries"));
  o.rls_rounds = static_cast<int>(v.Int("milp.rls_rounds"));
  o.energetic_bound = v.Bool("milp.energetic_bound");
  o.strict_improvement = v.Bool("milp.strict_improvement");
  return o;
}

SplitOptions SplitOptionsFrom(const ParamValues& v) {
  SplitOptions o;
  o.module_size = static_cast<int>(v.Int("split.module_size"));
  o.auto_module_size = v.Bool("split.auto_module_size") && !v.IsSet("split.module_size");
  o.default_time_limit_s = v.Double("split.default_time_limit");
  o.bound_share = v.Double("split.bound_share");
  o.repair = v.Bool("split.repair");
  o.forward_share = v.Double("split.forward_share");
  o.bound_threads = static_cast<int>(v.Int("split.bound_threads"));
  o.local_search_share = v.Double("split.local_search_share");
  o.chain_share = v.Double("split.chain_share");
  o.share_segments = v.Bool("split.share_segments");
  o.cp_segments = v.Bool("split.cp_segments");
  return o;
}

LlmPlanOptions LlmPlanOptionsFrom(const SolverRecord& rec, const ParamValues& v) {
  LlmPlanOptions o;
  o.strategy = rec.llm_strategy;
  const std::string& tp = v.Choice(rec.name + ".tensor_parallel");
  o.tensor_parallel = tp == "auto" ? 0 : std::stoi(tp);
  o.max_servers = static_cast<int>(v.Int(rec.name + ".max_servers"));
  o.target = v.Choice(rec.name + ".target");
  o.granularity = v.Choice(rec.name + ".granularity");
  return o;
}

}  // namespace diviml
