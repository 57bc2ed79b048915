// The CP-SAT latency solver (include/diviml/solve/cp.h, docs/cp.md).
#include "diviml/solve/cp.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>

#include <fmt/format.h>

#include "cp/cpsat.h"
#include "diviml/core/evaluate.h"
#include "diviml/solve/heuristics.h"
#include "diviml/util/tolerance.h"
#include "util/stopwatch.h"

namespace diviml {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// floor(x / tick) as a tick count, for a time x >= 0, at most cap: a time
// above the horizon cannot fit either way, and rounding down keeps the
// ticked problem a relaxation (and CP-SAT's sums far from overflow).
int64_t Ticks(double x, double tick, int64_t cap) {
  if (!(x > 0)) return 0;
  const double t = std::floor(x / tick);
  return t >= static_cast<double>(cap) ? cap : static_cast<int64_t>(t);
}

// The tick's base is at least this share of the horizon (so a horizon has
// at most resolution / kMinBaseShare ticks).
constexpr double kMinBaseShare = 1e-2;

class CpSolver : public Solver {
 public:
  explicit CpSolver(CpOptions o) : opt_(std::move(o)) {}
  std::string name() const override { return "cp"; }

  SolveResult Solve(const Problem& pr, const SolveOptions& so) override {
    const Stopwatch clock;
    SolveResult res;
    res.solver = name();
    std::string why;
    if (!cp::CpSatAvailable(&why)) {
      res.status = SolveStatus::kError;
      res.message = "cp: CP-SAT is not available: " + why;
      return res;
    }
    const int n = pr.n(), m = pr.m();
    double lb = std::max(ComputeBounds(pr).best_s, so.known_lower_bound_s);
    if (n == 0) {
      res.status = SolveStatus::kOptimal;
      res.makespan_s = 0;
      res.plan.order.assign(m, {});
      return res;
    }
    // The incumbent: the best start plan Evaluate() accepts, HEFT's, PEFT's.
    std::vector<Plan> starts = opt_.start_plans;
    for (auto make : {MakeHeftSolver, MakePeftSolver, MakeSingleSolver}) {
      SolveOptions ho = so;
      ho.progress = nullptr;
      SolveResult h = make()->Solve(pr, ho);
      if (!h.plan.device.empty()) starts.push_back(std::move(h.plan));
    }
    for (const Plan& p : starts) {
      const Evaluation ev = Evaluate(pr, p);
      if (ev.valid && ev.makespan_s < res.makespan_s) {
        res.plan = p;
        res.schedule = ev.schedule;
        res.makespan_s = ev.makespan_s;
      }
    }
    const bool have = std::isfinite(res.makespan_s);
    if (have && MeetsBound(res.makespan_s, lb)) {
      res.status = SolveStatus::kOptimal;
      res.lower_bound_s = lb;
      res.message = "cp: a start plan meets the lower bound";
      return res;
    }
    // Horizon: the incumbent, or (none valid: memory) a serial schedule of
    // every node at its slowest with every transfer at its dearest, which
    // bounds any plan's makespan.
    double serial = 0;
    for (int i = 0; i < n; ++i) {
      double w = 0;
      for (int d = 0; d < m; ++d)
        if (pr.allowed(i, d)) w = std::max(w, pr.p(i, d));
      serial += w;
    }
    for (int e = 0; e < pr.graph().num_edges(); ++e) {
      double c = 0;
      for (int d = 0; d < m; ++d)
        for (int f = 0; f < m; ++f) c = std::max(c, pr.comm(e, d, f));
      serial += c;
    }
    const double top = have ? res.makespan_s : serial;
    if (!(top > 0)) {  // every time is zero
      res.status = have ? SolveStatus::kOptimal : SolveStatus::kNoSolutionFound;
      res.lower_bound_s = lb;
      return res;
    }
    // resolution ticks per lower bound (so per optimum at least), at most
    // resolution / kMinBaseShare per horizon.
    const double tick = std::max(lb, kMinBaseShare * top) / std::max(10.0, opt_.resolution);
    const int64_t horizon = static_cast<int64_t>(std::floor(top / tick)) + 1;
    auto T = [&](double x) { return Ticks(x, tick, horizon + 1); };

    cp::CpModel md;
    const auto& nodes = pr.graph().nodes;
    std::vector<int> s(n), e(n), x(static_cast<size_t>(n) * m, -1);
    std::vector<std::vector<int>> on_device(m);
    for (int i = 0; i < n; ++i) {
      s[i] = md.NewInt(0, horizon, "s[" + nodes[i].id + "]");
      e[i] = md.NewInt(0, horizon, "e[" + nodes[i].id + "]");
      std::vector<int> choice;
      for (int d = 0; d < m; ++d) {
        if (!pr.allowed(i, d)) continue;
        const std::string at = "[" + nodes[i].id + "," + pr.platform().devices[d].name + "]";
        x[i * m + d] = md.NewBool("x" + at);
        choice.push_back(x[i * m + d]);
        const int64_t p = T(pr.p(i, d));
        if (p > 0)
          on_device[d].push_back(md.AddInterval(s[i], p, e[i], x[i * m + d], "run" + at));
        else
          md.AddLinear({{s[i], 1}, {e[i], -1}}, 0, 0, "instant" + at, {x[i * m + d]});
      }
      md.AddExactlyOne(choice, "device[" + nodes[i].id + "]");
    }
    for (int d = 0; d < m; ++d) md.AddNoOverlap(on_device[d], "one_at_a_time[" + pr.platform().devices[d].name + "]");
    const Graph& g = pr.graph();
    for (int k = 0; k < g.num_edges(); ++k) {
      const int u = g.edges[k].from, v = g.edges[k].to;
      const std::string at = "[" + nodes[u].id + ">" + nodes[v].id + "]";
      md.AddLinear({{s[v], 1}, {e[u], -1}}, 0, horizon, "after" + at);
      for (int d = 0; d < m; ++d)
        for (int f = 0; f < m; ++f) {
          if (d == f || x[u * m + d] < 0 || x[v * m + f] < 0) continue;
          const int64_t c = T(pr.comm(k, d, f));
          if (c > 0)
            md.AddLinear({{s[v], 1}, {e[u], -1}}, c, horizon + c,  // c > horizon: that pair cannot be
                         fmt::format("transfer{}[{},{}]", at, pr.platform().devices[d].name,
                                     pr.platform().devices[f].name),
                         {x[u * m + d], x[v * m + f]});
        }
      // The star form for three devices (symmetric transfers, triangle
      // inequality): alpha_d + alpha_f = c(d,f) / tick, so sum_d alpha_d
      // |x[u,d] - x[v,d]| is the transfer at every assignment; floored
      // alphas keep it at most the ticked transfer.
      if (m == 3) {
        std::array<double, 3> alpha{};
        bool star = true;
        for (int d = 0; d < 3 && star; ++d) {
          const int f = (d + 1) % 3, h = (d + 2) % 3;
          star = pr.comm(k, d, f) == pr.comm(k, f, d);
          alpha[d] = (pr.comm(k, d, f) + pr.comm(k, d, h) - pr.comm(k, f, h)) / 2 / tick;
          star = star && alpha[d] >= 0;
        }
        if (star) {
          std::vector<std::pair<int, int64_t>> row{{s[v], 1}, {e[u], -1}};
          for (int d = 0; d < 3; ++d) {
            const int64_t a = std::min<double>(std::floor(alpha[d]), static_cast<double>(horizon + 1));
            const int xu = x[u * m + d], xv = x[v * m + d];
            if (a <= 0 || (xu < 0 && xv < 0)) continue;
            const int t = md.NewBool(fmt::format("moves{}[{}]", at, pr.platform().devices[d].name));
            // t >= x[u,d] - x[v,d] and t >= x[v,d] - x[u,d]
            for (int sign : {1, -1}) {
              std::vector<std::pair<int, int64_t>> r{{t, 1}};
              if (xu >= 0) r.emplace_back(xu, -sign);
              if (xv >= 0) r.emplace_back(xv, sign);
              md.AddLinear(r, 0, 2, fmt::format("moves{}{}[{}]", sign > 0 ? "+" : "-", at,
                                               pr.platform().devices[d].name));
            }
            row.emplace_back(t, -a);
          }
          if (row.size() > 2) md.AddLinear(row, 0, horizon, "star" + at);
        }
      }
    }
    // Memory: parameters placed plus the largest workspace, rounded so that
    // every real plan that fits fits here too (usage down, capacity up).
    for (int d = 0; d < m; ++d) {
      const double cap = pr.platform().devices[d].memory_bytes;
      if (!std::isfinite(cap)) continue;
      double params = 0, work = 0;
      for (int i = 0; i < n; ++i)
        if (pr.allowed(i, d)) params += nodes[i].param_bytes, work = std::max(work, nodes[i].memory_bytes);
      if (params + work <= cap) continue;  // cannot bind
      const std::string dn = pr.platform().devices[d].name;
      const int ws = md.NewInt(0, static_cast<int64_t>(std::floor(work)), "workspace[" + dn + "]");
      std::vector<std::pair<int, int64_t>> row{{ws, 1}};
      for (int i = 0; i < n; ++i) {
        if (x[i * m + d] < 0) continue;
        const int64_t pb = static_cast<int64_t>(std::floor(nodes[i].param_bytes));
        const int64_t mb = static_cast<int64_t>(std::floor(nodes[i].memory_bytes));
        if (pb > 0) row.emplace_back(x[i * m + d], pb);
        if (mb > 0) md.AddLinear({{ws, 1}, {x[i * m + d], -mb}}, 0, static_cast<int64_t>(std::floor(work)),
                                 "workspace[" + dn + "," + nodes[i].id + "]");
      }
      md.AddLinear(row, 0, static_cast<int64_t>(std::ceil(cap)), "memory[" + dn + "]");
    }
    const int C = md.NewInt(0, horizon, "makespan");
    for (int i = 0; i < n; ++i) md.AddLinear({{C, 1}, {e[i], -1}}, 0, horizon, "end[" + nodes[i].id + "]");
    // Redundant: the makespan is at least every device's load (propagates
    // without the LP; proofs 15-25% faster on RandWire segments, docs/cp.md).
    for (int d = 0; d < m; ++d) {
      std::vector<std::pair<int, int64_t>> row{{C, 1}};
      for (int i = 0; i < n; ++i)
        if (x[i * m + d] >= 0) row.emplace_back(x[i * m + d], -T(pr.p(i, d)));
      if (row.size() > 1) md.AddLinear(row, 0, horizon, "load[" + pr.platform().devices[d].name + "]");
    }
    md.Minimize(C);
    if (have) {
      for (int i = 0; i < n; ++i) {
        const int d = res.plan.device[i];
        for (int f = 0; f < m; ++f)
          if (x[i * m + f] >= 0) md.Hint(x[i * m + f], f == d ? 1 : 0);
        md.Hint(s[i], T(res.schedule.start_s[i]));
      }
    }

    cp::CpParams cpp;
    cpp.workers = opt_.workers > 0 ? opt_.workers : std::max(1, so.threads);
    cpp.interleave = cpp.workers == 1 && opt_.interleave;
    cpp.linearization = opt_.linearization;
    cpp.seed = static_cast<int>(so.seed % 1000003);
    cpp.interrupt = so.interrupt;
    cpp.time_limit_s = std::isfinite(so.time_limit_s) ? std::max(0.0, so.time_limit_s - clock.seconds()) : 1e9;
    // CP-SAT's C API has no callback: a line before and one after.
    auto report = [&](const std::string& what, double bound) {
      if (!so.progress) return;
      Progress pg;
      pg.source = "cp";
      pg.incumbent = res.makespan_s;
      pg.bound = bound;
      if (auto gap = RelativeGap(pg.incumbent, pg.bound)) pg.gap = *gap;
      pg.elapsed_s = clock.seconds();
      pg.message = what;
      so.progress(pg);
    };
    report(fmt::format("CP-SAT: {} variables, {} constraints, {} worker{}, {}", md.num_variables(),
                       md.num_constraints(), cpp.workers, cpp.workers > 1 ? "s" : "",
                       std::isfinite(so.time_limit_s) ? fmt::format("limit {:.3g} s", cpp.time_limit_s) : "no limit"),
           lb);
    const cp::CpResult r = cp::SolveCp(md, cpp);
    if (r.status == cp::CpStatus::kError || r.status == cp::CpStatus::kModelInvalid) {
      res.status = SolveStatus::kError;
      res.message = "cp: " + r.message;
      return res;
    }
    if (r.status == cp::CpStatus::kInfeasible) {
      // The ticked model relaxes every real plan within the horizon, which
      // holds every plan: none fits.
      res.status = SolveStatus::kInfeasible;
      res.plan = Plan{};
      res.makespan_s = kInf;
      res.message = "cp: CP-SAT proved that no plan fits (memory capacities)";
      return res;
    }
    if (!r.values.empty()) {
      Plan p;
      p.device.assign(n, 0);
      p.order.assign(m, {});
      for (int i = 0; i < n; ++i)
        for (int d = 0; d < m; ++d)
          if (x[i * m + d] >= 0 && r.values[x[i * m + d]] == 1) p.device[i] = d;
      std::vector<int> rank(n);
      const auto& topo = g.topo_order();
      for (int k = 0; k < n; ++k) rank[topo[k]] = k;
      std::vector<int> idx(n);
      std::iota(idx.begin(), idx.end(), 0);
      std::sort(idx.begin(), idx.end(), [&](int a, int b) {
        return std::make_pair(r.values[s[a]], rank[a]) < std::make_pair(r.values[s[b]], rank[b]);
      });
      for (int i : idx) p.order[p.device[i]].push_back(i);
      const Evaluation ev = Evaluate(pr, p);
      if (ev.valid && ev.makespan_s < res.makespan_s) {
        res.plan = std::move(p);
        res.schedule = ev.schedule;
        res.makespan_s = ev.makespan_s;
      }
    }
    // CP-SAT's bound is on the ticked optimum; every real plan maps to a
    // ticked one no longer than its makespan / tick, so bound * tick holds.
    if (std::isfinite(r.bound) && r.bound > 0) lb = std::max(lb, std::floor(r.bound + 1e-9) * tick);
    res.lower_bound_s = lb;
    res.solve_time_s = clock.seconds();
    const bool proven_ticks = r.status == cp::CpStatus::kOptimal;
    if (!std::isfinite(res.makespan_s)) {
      res.status = SolveStatus::kNoSolutionFound;
    } else if (MeetsBound(res.makespan_s, lb)) {
      res.status = SolveStatus::kOptimal;
    } else if (proven_ticks) {
      res.status = SolveStatus::kFeasible;
    } else {
      res.status = SolveStatus::kTimeLimit;
    }
    res.message = fmt::format("cp: CP-SAT {} in {:.2f} s, {} variables, {} constraints, tick {:.3g} s; {}",
                              cp::CpStatusName(r.status), r.wall_s, md.num_variables(), md.num_constraints(), tick,
                              proven_ticks ? fmt::format("optimal for times rounded down to ticks (bound {:.6g} s)",
                                                         lb)
                                           : fmt::format("bound {:.6g} s", lb));
    report(res.message, lb);
    return res;
  }

 private:
  CpOptions opt_;
};

}  // namespace

bool CpAvailable(std::string* why) { return cp::CpSatAvailable(why); }

std::unique_ptr<Solver> MakeCpSolver(const CpOptions& options) { return std::make_unique<CpSolver>(options); }

ExactSolveFn CpExactSolve(const std::atomic<bool>* interrupt, double resolution) {
  return [interrupt, resolution](const Problem& sub, double time_limit_s) {
    if (!cp::CpSatAvailable()) return ExactAnswer{};
    CpOptions co;
    co.workers = 1;
    co.resolution = resolution;
    co.interleave = false;  // the plain search proves faster (docs/cp.md)
    SolveOptions so;
    so.time_limit_s = time_limit_s;
    so.interrupt = interrupt;
    return ToExactAnswer(MakeCpSolver(co)->Solve(sub, so));
  };
}

}  // namespace diviml
