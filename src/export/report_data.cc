// ReportData and CheckBenchJson (include/diviml/export/report.h): the one
// JSON object the HTML report reads; its shape is documented in
// docs/report.md ("diviml-report-v1").
#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "diviml/bound/bounds.h"
#include "diviml/export/report.h"
#include "diviml/util/error.h"

namespace diviml {
namespace {

nlohmann::json Num(double x) {
  if (std::isfinite(x)) return x;
  return nullptr;
}

nlohmann::json Summary(const Problem& pr, const Result& r) {
  nlohmann::json s;
  s["title"] = pr.graph().name + " on " + pr.platform().name;
  s["graph"] = pr.graph().name;
  s["platform"] = pr.platform().name;
  s["nodes"] = pr.n();
  s["edges"] = pr.graph().num_edges();
  s["solver"] = r.solver;
  s["solver_choice"] = r.solver_note;
  s["objective"] = ObjectiveName(r.objective);
  s["status"] = StatusName(r.status);
  s["has_plan"] = r.has_plan();
  s["value_s"] = Num(r.has_plan() ? r.value : INFINITY);
  s["value_name"] = r.objective == Objective::kLatency ? "makespan" : "period";
  s["lower_bound_s"] = Num(r.lower_bound);
  s["gap"] = r.gap ? nlohmann::json(*r.gap) : nlohmann::json();
  s["bound_above_plan"] = r.bound_above_plan;
  s["solve_time_s"] = r.solve_time_s;
  s["message"] = r.message;
  s["params"] = r.params;
  return s;
}

nlohmann::json Bounds(const Result& r) {
  nlohmann::json parts = nlohmann::json::array();
  for (const BoundPart& b : r.bounds.parts) {
    nlohmann::json segs = nlohmann::json::array();
    for (const BoundSegment& s : b.segments)
      segs.push_back({{"index", s.index}, {"nodes", s.nodes}, {"value_s", Num(s.value_s)}, {"proven", s.proven}});
    parts.push_back({{"name", b.name}, {"value_s", Num(b.value_s)}, {"detail", b.detail},
                     {"best", b.name == r.bounds.best_name}, {"segments", segs}});
  }
  // split reports its module-chain bound as the part "solver" and tells
  // how many segments it proved in its message: that clause, verbatim.
  std::string chain;
  if (size_t at = r.message.find("module_chain bound"); at != std::string::npos)
    chain = r.message.substr(at, r.message.find(';', at) == std::string::npos ? std::string::npos
                                                                              : r.message.find(';', at) - at);
  return {{"parts", parts}, {"best", r.bounds.best_name}, {"lower_bound_s", Num(r.lower_bound)},
          {"gap", r.gap ? nlohmann::json(*r.gap) : nlohmann::json()}, {"module_chain_note", chain}};
}

}  // namespace

std::string OpColor(int index) {
  static const int kLight[3] = {68, 80, 56};
  const double hue = std::fmod(index * 137.508, 360.0);
  return fmt::format("hsl({:.0f},{}%,{}%)", hue, index % 2 ? 55 : 70, kLight[index % 3]);
}

nlohmann::json ReportData(const Problem& pr, const Result& r, const ReportOptions& options) {
  const Graph& g = pr.graph();
  const auto& devs = pr.platform().devices;
  const int n = pr.n(), m = pr.m();
  nlohmann::json j;
  j["format"] = "diviml-report-v1";
  j["summary"] = Summary(pr, r);
  j["bounds"] = Bounds(r);

  // The plan drawn: the latency plan, or replica 0 of a throughput plan run
  // alone (its single-sample schedule).
  Plan plan;
  Evaluation ev;
  const bool has_plan = r.has_plan();
  if (has_plan && r.objective == Objective::kLatency) {
    plan = r.plan;
    ev = r.evaluation;
  } else if (has_plan) {
    plan = ReplicaPlan(pr, r.throughput_plan.device[0]);
    ev = Evaluate(pr, plan);
  }
  const bool scheduled = has_plan && ev.valid;
  const Schedule& s = ev.schedule;
  j["schedule_note"] = r.objective == Objective::kLatency ? "the plan's schedule"
                                                          : "replica 0 run alone (one sample)";

  // Operator classes, sorted by name: colour i = OpColor(i).
  std::map<std::string, int> op_index;
  for (const Node& v : g.nodes) op_index[v.op] = 0;
  nlohmann::json ops = nlohmann::json::array();
  {
    int i = 0;
    for (auto& [name, idx] : op_index) {
      idx = i;
      ops.push_back({{"name", name}, {"color", OpColor(i)}});
      ++i;
    }
  }
  j["ops"] = ops;

  // Devices: busy, idle, memory used (weights + largest workspace, as the
  // evaluator checks it) vs capacity.
  std::vector<double> busy(m, 0), params(m, 0), workspace(m, 0);
  if (scheduled)
    for (int v = 0; v < n; ++v) {
      int d = plan.device[v];
      busy[d] += pr.p(v, d);
      params[d] += g.nodes[v].param_bytes;
      workspace[d] = std::max(workspace[d], g.nodes[v].memory_bytes);
    }
  const double span = scheduled ? s.makespan_s : 0;
  nlohmann::json dj = nlohmann::json::array();
  for (int d = 0; d < m; ++d) {
    int count = 0;
    if (scheduled) count = static_cast<int>(plan.order[d].size());
    dj.push_back({{"name", devs[d].name}, {"type", devs[d].type}, {"server", devs[d].server},
                  {"memory_capacity_bytes", Num(devs[d].memory_bytes)}, {"peak_flops", devs[d].peak_flops},
                  {"nodes", count}, {"busy_s", busy[d]}, {"idle_s", std::max(0.0, span - busy[d])},
                  {"memory_used_bytes", params[d] + workspace[d]}, {"param_bytes", params[d]}});
  }
  j["devices"] = dj;

  // Nodes with their layout position.
  const ReportLayout lay = LayoutGraph(pr);
  nlohmann::json nj = nlohmann::json::array();
  for (int v = 0; v < n; ++v) {
    const Node& node = g.nodes[v];
    nlohmann::json times = nlohmann::json::array();
    for (int d = 0; d < m; ++d) times.push_back(pr.allowed(v, d) ? Num(pr.p(v, d)) : nlohmann::json());
    nlohmann::json o = {{"id", node.id}, {"op", op_index[node.op]}, {"times_s", times},
                        {"flops", node.flops}, {"param_bytes", node.param_bytes},
                        {"output_bytes", node.output_bytes}, {"band", lay.band[v]},
                        {"x", std::round(lay.x[v])}, {"y", std::round(lay.y[v])}};
    if (scheduled) {
      o["device"] = plan.device[v];
      o["start_s"] = s.start_s[v];
      o["end_s"] = s.end_s[v];
    } else {
      o["device"] = nullptr;
    }
    nj.push_back(std::move(o));
  }
  j["nodes"] = nj;

  // Edges; cross-device ones with their transfer time and slot.
  std::vector<const Transfer*> transfer_of(g.num_edges(), nullptr);
  if (scheduled)
    for (const Transfer& t : s.transfers) transfer_of[t.edge] = &t;
  struct LinkSum {
    double bytes = 0, time = 0;
    int count = 0;
  };
  std::map<std::pair<int, int>, LinkSum> links;
  nlohmann::json ej = nlohmann::json::array();
  for (int e = 0; e < g.num_edges(); ++e) {
    const Edge& ed = g.edges[e];
    nlohmann::json o = {{"from", ed.from}, {"to", ed.to}, {"bytes", ed.bytes}};
    const bool cross = scheduled && plan.device[ed.from] != plan.device[ed.to];
    o["cross"] = cross;
    if (cross) {
      int a = plan.device[ed.from], b = plan.device[ed.to];
      double t = pr.comm(e, a, b);
      o["transfer_s"] = t;
      if (const Transfer* tr = transfer_of[e]) {
        o["start_s"] = tr->start_s;
        o["end_s"] = tr->end_s;
      }
      LinkSum& l = links[{a, b}];
      l.bytes += ed.bytes;
      l.time += t;
      ++l.count;
    }
    ej.push_back(std::move(o));
  }
  j["edges"] = ej;
  nlohmann::json lj = nlohmann::json::array();
  for (const auto& [k, l] : links) {
    const Link& link = pr.platform().link(k.first, k.second);
    lj.push_back({{"from", k.first}, {"to", k.second}, {"bytes", l.bytes}, {"time_s", l.time},
                  {"transfers", l.count}, {"bandwidth_Bps", Num(link.bandwidth_Bps)},
                  {"latency_s", link.latency_s}});
  }
  j["links"] = lj;

  // Bands (layout) and modules (cut nodes of FindModules).
  nlohmann::json bj = nlohmann::json::array();
  for (const ReportLayout::Band& b : lay.bands) {
    double min_p = 0, first = INFINITY, last = 0;
    for (int v : b.nodes) {
      min_p += pr.min_p(v);
      if (scheduled) first = std::min(first, s.start_s[v]), last = std::max(last, s.end_s[v]);
    }
    bj.push_back({{"module", b.module}, {"cut_node", b.cut_node}, {"width", b.width}, {"height", b.height},
                  {"nodes", b.nodes}, {"min_time_s", min_p},
                  {"plan_start_s", scheduled ? Num(first) : nlohmann::json()},
                  {"plan_end_s", scheduled ? Num(last) : nlohmann::json()}});
  }
  nlohmann::json blocks = nlohmann::json::array();
  for (const ReportLayout::Block& b : lay.blocks)
    blocks.push_back({{"first_band", b.first_band}, {"last_band", b.last_band}, {"nodes", b.nodes}});
  j["layout"] = {{"engine", lay.engine}, {"bands", bj}, {"blocks", blocks}};

  // Throughput figures.
  if (r.objective == Objective::kThroughput && has_plan) {
    const PeriodInfo& info = r.period;
    nlohmann::json util = nlohmann::json::array(), lu = nlohmann::json::array(), per = nlohmann::json::array();
    for (int d = 0; d < m; ++d)
      util.push_back(info.period_s > 0 ? info.device_load_s[d] / info.period_s : 0.0);
    for (int a = 0; a < m; ++a)
      for (int b = 0; b < m; ++b)
        if (info.link_load_s[a * m + b] > 0)
          lu.push_back({{"from", a}, {"to", b}, {"load_s", info.link_load_s[a * m + b]},
                        {"utilisation", info.period_s > 0 ? info.link_load_s[a * m + b] / info.period_s : 0.0}});
    for (const auto& dev : r.throughput_plan.device) {
      std::vector<int> count(m, 0);
      for (int d : dev) ++count[d];
      per.push_back(count);
    }
    nlohmann::json t = {{"period_s", info.period_s}, {"throughput_per_s", Num(info.throughput_per_s)},
                        {"throughput_upper_bound_per_s", Num(r.throughput_upper_bound_per_s)},
                        {"bottleneck", info.bottleneck}, {"replicas", r.throughput_plan.replicas()},
                        {"device_load_s", info.device_load_s}, {"utilisation", util},
                        {"link_utilisation", lu}, {"replica_latency_s", r.replica_latency_s},
                        {"replica_nodes_per_device", per}};
    if (r.simulation)
      t["simulation"] = {{"samples", r.simulation->samples},
                         {"throughput_per_s", Num(r.simulation->throughput_per_s)},
                         {"mean_latency_s", r.simulation->mean_latency_s},
                         {"max_latency_s", r.simulation->max_latency_s}};
    j["throughput"] = t;
  } else {
    j["throughput"] = nullptr;
  }
  j["bench"] = options.bench.is_array() ? options.bench : nlohmann::json();
  j["views"] = options.views.is_object() ? options.views : nlohmann::json::object();
  return j;
}

nlohmann::json CheckBenchJson(const std::string& text, const std::string& source) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error&) {
    throw InputError(source + ": not JSON (expected the array `diviml bench --json` writes)");
  }
  if (!j.is_array() || j.empty())
    throw InputError(source + ": not a `diviml bench --json` file (expected a non-empty array of rows)");
  static const char* kKeys[] = {"graph", "platform", "solver", "status", "gap", "solve_time_s"};
  for (size_t i = 0; i < j.size(); ++i) {
    if (!j[i].is_object()) throw InputError(fmt::format("{}: row {} is not an object", source, i));
    for (const char* k : kKeys)
      if (!j[i].contains(k))
        throw InputError(fmt::format("{}: row {} has no \"{}\" (not a `diviml bench --json` file)", source, i, k));
    if (!j[i]["solve_time_s"].is_number() || !(j[i]["gap"].is_number() || j[i]["gap"].is_null()))
      throw InputError(fmt::format("{}: row {}: gap and solve_time_s must be numbers", source, i));
  }
  return j;
}

}  // namespace diviml
