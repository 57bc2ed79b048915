// The HTML report's data and page (include/diviml/export/report.h) and the
// `diviml report` / `solve --report` commands: every node laid out once,
// edges and links consistent with the plan, distinct operator colours, the
// data embedded safely, and bad input (a plan of another graph, a bench file
// of another format) one line, exit 1, nothing written. The page itself is
// checked in headless Chromium by tests/browser/ (ctest browser_report_*).
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <sstream>

#include "diviml/cli/cli.h"
#include "diviml/export/export.h"
#include "diviml/export/report.h"
#include "diviml/util/file.h"

namespace diviml {
namespace {

namespace fs = std::filesystem;

const std::string kData = DIVIML_TEST_DATA;

std::string Temp(const std::string& name) {
  return (fs::temp_directory_path() / ("diviml_report_" + std::to_string(::getpid()) + "_" + name)).string();
}

bool HaveIgraphForTest() {
#ifdef DIVIML_HAVE_IGRAPH
  return true;
#else
  return false;
#endif
}

Result Heft(const Problem& pr) {
  Request req;
  req.solver = "heft";
  return Solve(pr, req);
}

TEST(Report, DataHasEveryNodeOnceWithPositionsAndPlanDevices) {
  const Problem pr = LoadProblem({"zoo:googlenet", "zoo:paper"});
  const Result r = Heft(pr);
  ASSERT_TRUE(r.has_plan());
  const nlohmann::json d = ReportData(pr, r);
  EXPECT_EQ(d["format"], "diviml-report-v1");
  ASSERT_EQ(d["nodes"].size(), static_cast<size_t>(pr.n()));
  ASSERT_EQ(d["devices"].size(), static_cast<size_t>(pr.m()));
  // Bands partition the nodes; every node's band lists it.
  std::vector<int> seen(pr.n(), 0);
  const auto& bands = d["layout"]["bands"];
  for (size_t b = 0; b < bands.size(); ++b)
    for (int v : bands[b]["nodes"]) {
      ++seen[v];
      EXPECT_EQ(d["nodes"][v]["band"].get<int>(), static_cast<int>(b));
      EXPECT_GE(d["nodes"][v]["x"].get<double>(), 0);
      EXPECT_LE(d["nodes"][v]["x"].get<double>(), bands[b]["width"].get<double>());
      EXPECT_GT(d["nodes"][v]["y"].get<double>(), 0);
      EXPECT_LT(d["nodes"][v]["y"].get<double>(), bands[b]["height"].get<double>());
    }
  for (int v = 0; v < pr.n(); ++v) EXPECT_EQ(seen[v], 1) << pr.graph().nodes[v].id;
  // Inside a band, no two nodes share a position.
  std::set<std::tuple<int, double, double>> pos;
  for (const auto& n : d["nodes"])
    pos.insert({n["band"].get<int>(), n["x"].get<double>(), n["y"].get<double>()});
  EXPECT_EQ(pos.size(), static_cast<size_t>(pr.n()));
  // googlenet has cut nodes between its inception modules.
  int modules = 0;
  for (const auto& b : bands) modules += b["module"].get<int>() >= 0 && b["nodes"].size() > 1;
  EXPECT_GE(modules, 5);
  // Blocks cover the bands in order, each with its node count.
  int next = 0, in_blocks = 0;
  for (const auto& b : d["layout"]["blocks"]) {
    EXPECT_EQ(b["first_band"].get<int>(), next);
    int count = 0;
    for (int k = b["first_band"]; k <= b["last_band"].get<int>(); ++k) count += bands[k]["nodes"].size();
    EXPECT_EQ(b["nodes"].get<int>(), count);
    in_blocks += count;
    next = b["last_band"].get<int>() + 1;
  }
  EXPECT_EQ(next, static_cast<int>(bands.size()));
  EXPECT_EQ(in_blocks, pr.n());
  EXPECT_LE(d["layout"]["blocks"].size(), 30u);
#ifdef DIVIML_HAVE_IGRAPH
  EXPECT_EQ(d["layout"]["engine"], "igraph-sugiyama");
#endif
  // Devices, times, schedule as in the plan.
  double busy_total = 0;
  for (int v = 0; v < pr.n(); ++v) {
    const auto& n = d["nodes"][v];
    EXPECT_EQ(n["device"].get<int>(), r.plan.device[v]);
    EXPECT_DOUBLE_EQ(n["start_s"].get<double>(), r.evaluation.schedule.start_s[v]);
    EXPECT_DOUBLE_EQ(n["times_s"][r.plan.device[v]].get<double>(), pr.p(v, r.plan.device[v]));
    busy_total += pr.p(v, r.plan.device[v]);
  }
  double busy_sum = 0;
  for (const auto& dev : d["devices"]) {
    busy_sum += dev["busy_s"].get<double>();
    EXPECT_NEAR(dev["busy_s"].get<double>() + dev["idle_s"].get<double>(), r.value, 1e-12);
  }
  EXPECT_NEAR(busy_sum, busy_total, 1e-12);
  // Cross-device edges carry their transfer time; links sum them.
  double cross_time = 0, link_time = 0;
  int cross = 0;
  for (int e = 0; e < pr.graph().num_edges(); ++e) {
    const auto& ej = d["edges"][e];
    const Edge& ed = pr.graph().edges[e];
    const bool is_cross = r.plan.device[ed.from] != r.plan.device[ed.to];
    EXPECT_EQ(ej["cross"].get<bool>(), is_cross);
    if (!is_cross) continue;
    ++cross;
    EXPECT_DOUBLE_EQ(ej["transfer_s"].get<double>(), pr.comm(e, r.plan.device[ed.from], r.plan.device[ed.to]));
    cross_time += ej["transfer_s"].get<double>();
  }
  int link_transfers = 0;
  for (const auto& l : d["links"]) {
    link_time += l["time_s"].get<double>();
    link_transfers += l["transfers"].get<int>();
  }
  EXPECT_GT(cross, 0);
  EXPECT_EQ(link_transfers, cross);
  EXPECT_NEAR(link_time, cross_time, 1e-12);
  // Bound parts with the best marked once.
  int best = 0;
  for (const auto& p : d["bounds"]["parts"]) best += p["best"].get<bool>();
  EXPECT_EQ(best, 1);
  EXPECT_EQ(d["bounds"]["best"], r.bounds.best_name);
  EXPECT_TRUE(d["throughput"].is_null());
  EXPECT_TRUE(d["bench"].is_null());
}

// Both layouts (igraph's Sugiyama when built in, and the fallback) place
// every node once, inside its band, on a spot of its own, with every edge
// inside a band pointing downwards.
// split's module-chain bound travels with its segments (which were proven
// optimal, which are bounds only) into the report's data.
TEST(Report, SplitBoundListsTheChainSegmentsAndWhichAreProven) {
  const Problem pr = LoadProblem({"zoo:resnet18", "zoo:paper"});
  Request req;
  req.solver = "split";
  req.options.time_limit_s = 20;
  const Result r = Solve(pr, req);
  ASSERT_TRUE(r.has_plan());
  const nlohmann::json d = ReportData(pr, r);
  const nlohmann::json* solver = nullptr;
  for (const auto& p : d["bounds"]["parts"])
    if (p["name"] == "solver") solver = &p;
  ASSERT_NE(solver, nullptr);
  const auto& segs = (*solver)["segments"];
  ASSERT_FALSE(segs.empty());
  int proven = 0, last = -1;
  for (const auto& s : segs) {
    EXPECT_GT(s["index"].get<int>(), last);  // in chain order
    last = s["index"].get<int>();
    EXPECT_GT(s["nodes"].get<int>(), 0);
    EXPECT_GE(s["value_s"].get<double>(), 0);
    proven += s["proven"].get<bool>();
  }
  // The message's count of proven segment MILPs covers at least the proven
  // segments on the path; "shortest path all proven" means every one is.
  if (r.message.find("shortest path all proven") != std::string::npos)
    EXPECT_EQ(proven, static_cast<int>(segs.size()));
  // Other solvers carry none.
  // (Bind the report to a name: a range-for over a member of a temporary
  // would read freed memory.)
  const nlohmann::json heft_report = ReportData(pr, Heft(pr));
  for (const auto& p : heft_report["bounds"]["parts"]) EXPECT_TRUE(p["segments"].empty());
}

TEST(Report, BothLayoutsPlaceEveryNodeOnItsOwnSpot) {
  const Problem pr = LoadProblem({"zoo:bert_base", "zoo:paper"});
  for (bool use_igraph : {true, false}) {
    const ReportLayout lay = LayoutGraph(pr, use_igraph);
    EXPECT_EQ(lay.engine == "igraph-sugiyama", use_igraph && HaveIgraphForTest()) << lay.engine;
    std::set<std::tuple<int, double, double>> spots;
    for (int v = 0; v < pr.n(); ++v) {
      ASSERT_GE(lay.band[v], 0);
      const auto& b = lay.bands[lay.band[v]];
      EXPECT_GT(lay.x[v], 0);
      EXPECT_LT(lay.x[v], b.width);
      EXPECT_LT(lay.y[v], b.height);
      spots.insert({lay.band[v], lay.x[v], lay.y[v]});
    }
    EXPECT_EQ(spots.size(), static_cast<size_t>(pr.n())) << lay.engine;
    for (const Edge& e : pr.graph().edges)
      if (lay.band[e.from] == lay.band[e.to]) EXPECT_LT(lay.y[e.from], lay.y[e.to]);
      else EXPECT_LT(lay.band[e.from], lay.band[e.to]);
  }
}

TEST(Report, EveryOperatorClassHasItsOwnColour) {
  std::set<std::string> colours;
  for (int i = 0; i < 24; ++i) colours.insert(OpColor(i));
  EXPECT_EQ(colours.size(), 24u);
  const Problem pr = LoadProblem({"zoo:resnet50", "zoo:paper"});
  const nlohmann::json d = ReportData(pr, Heft(pr));
  std::set<std::string> names, used;
  for (const auto& o : d["ops"]) names.insert(o["name"].get<std::string>()), used.insert(o["color"]);
  EXPECT_EQ(names.size(), d["ops"].size());
  EXPECT_EQ(used.size(), d["ops"].size());  // Conv and Gemm, Relu and MaxPool differ
  EXPECT_TRUE(names.count("Conv") && names.count("Gemm") && names.count("Relu") && names.count("MaxPool"));
}

TEST(Report, SvgGanttUsesTheDistinctColours) {
  const Problem pr = LoadProblem({"zoo:resnet50", "zoo:paper"});
  const std::string svg = ResultSvg(pr, Heft(pr));
  std::set<std::string> ops;
  for (const Node& n : pr.graph().nodes) ops.insert(n.op);
  for (int i = 0; i < static_cast<int>(ops.size()); ++i)
    EXPECT_NE(svg.find("fill=\"" + OpColor(i) + "\""), std::string::npos) << OpColor(i);
}

TEST(Report, ThroughputResultHasItsFigures) {
  const Problem pr = LoadProblem({"zoo:resnet50", "zoo:paper"});
  Request req;
  req.solver = "auto";
  req.objective = Objective::kThroughput;
  const Result r = Solve(pr, req);
  ASSERT_TRUE(r.has_plan());
  const nlohmann::json d = ReportData(pr, r);
  const auto& t = d["throughput"];
  ASSERT_TRUE(t.is_object());
  EXPECT_DOUBLE_EQ(t["period_s"].get<double>(), r.period.period_s);
  EXPECT_EQ(t["replicas"].get<int>(), r.throughput_plan.replicas());
  EXPECT_EQ(t["bottleneck"], r.period.bottleneck);
  ASSERT_EQ(t["utilisation"].size(), static_cast<size_t>(pr.m()));
  double top = 0;
  for (const auto& u : t["utilisation"]) top = std::max(top, u.get<double>());
  EXPECT_LE(top, 1 + 1e-9);
  // The graph is coloured by replica 0.
  for (int v = 0; v < pr.n(); ++v) EXPECT_EQ(d["nodes"][v]["device"].get<int>(), r.throughput_plan.device[0][v]);
}

TEST(Report, ResultWithoutPlanSaysWhy) {
  Graph g;
  g.name = "heavy";
  for (int i = 0; i < 3; ++i) {
    Node v;
    v.id = "n" + std::to_string(i);
    v.time_s["*"] = 1;
    v.param_bytes = 5000;
    g.AddNode(v);
  }
  g.AddEdge(0, 1, 1);
  g.AddEdge(1, 2, 1);
  ASSERT_FALSE(g.Finalize());
  Platform p = Platform::Identical(2);
  for (Device& d : p.devices) d.memory_bytes = 1000;
  std::string err;
  const Problem pr = Problem::Build(g, p, &err);
  ASSERT_TRUE(err.empty()) << err;
  const Result r = Heft(pr);
  ASSERT_FALSE(r.has_plan());
  const nlohmann::json d = ReportData(pr, r);
  EXPECT_EQ(d["summary"]["status"], "infeasible");
  EXPECT_FALSE(d["summary"]["has_plan"].get<bool>());
  EXPECT_TRUE(d["summary"]["value_s"].is_null());
  EXPECT_FALSE(d["summary"]["message"].get<std::string>().empty());
  ASSERT_EQ(d["nodes"].size(), 3u);
  for (const auto& n : d["nodes"]) {
    EXPECT_TRUE(n["device"].is_null());
    EXPECT_FALSE(n.contains("start_s"));
  }
  for (const auto& e : d["edges"]) EXPECT_FALSE(e["cross"].get<bool>());
  EXPECT_TRUE(d["links"].empty());
  EXPECT_FALSE(FindExporter("html")->write(pr, r).empty());
}

TEST(Report, ViewsAreEmbeddedUnderTheirName) {
  const Problem pr = LoadProblem({kData + "/topcuoglu10.graph.json", kData + "/topcuoglu10.platform.json"});
  ReportOptions o;
  o.views["llm"] = {{"stages", {{{"server", "s0"}, {"layers", {0, 11}}}}}};
  const nlohmann::json d = ReportData(pr, Heft(pr), o);
  EXPECT_EQ(d["views"]["llm"]["stages"][0]["server"], "s0");
  EXPECT_NE(ResultHtml(pr, Heft(pr), o).find("\"views\":{\"llm\""), std::string::npos);
}

TEST(Report, DataCannotCloseTheScriptElement) {
  Graph g;
  g.name = "evil</script><script>alert(1)</script>";
  Node a, b;
  a.id = "</script><img src=x onerror=alert(2)>";
  a.time_s["*"] = 1;
  b.id = "b\u2028\"'&";
  b.time_s["*"] = 2;
  g.AddNode(a);
  g.AddNode(b);
  g.AddEdge(0, 1, 10);
  ASSERT_FALSE(g.Finalize());
  std::string err;
  const Problem pr = Problem::Build(g, Platform::Identical(2), &err);
  ASSERT_TRUE(err.empty()) << err;
  const std::string page = ResultHtml(pr, Heft(pr));
  size_t count = 0;
  for (size_t at = page.find("<script"); at != std::string::npos; at = page.find("<script", at + 1)) ++count;
  EXPECT_EQ(count, 2u);  // the data element and the script, nothing from the data
  EXPECT_EQ(page.find("<img"), std::string::npos);
  for (unsigned char c : page.substr(page.find("report-data"), page.find("</script>") - page.find("report-data")))
    EXPECT_LT(c, 0x80);  // the data is ASCII
  EXPECT_NE(page.find("alert(1)"), std::string::npos);  // kept, as escaped text
}

TEST(Report, HtmlExporterIsRegistered) {
  const Exporter* e = FindExporter("html");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->extension, ".html");
}

TEST(Report, BertBasePageStaysUnderTwoMegabytes) {
  const Problem pr = LoadProblem({"zoo:bert_base", "zoo:paper"});
  ASSERT_GT(pr.n(), 600);
  const std::string page = ResultHtml(pr, Heft(pr));
  EXPECT_LT(page.size(), 2u * 1000 * 1000);
  EXPECT_NE(page.find("diviml-report-v1"), std::string::npos);
}

TEST(Report, BenchJsonIsChecked) {
  EXPECT_THROW(CheckBenchJson("not json", "b.json"), InputError);
  EXPECT_THROW(CheckBenchJson("{}", "b.json"), InputError);
  EXPECT_THROW(CheckBenchJson("[]", "b.json"), InputError);
  EXPECT_THROW(CheckBenchJson(R"([{"graph":"g","platform":"p","solver":"heft"}])", "b.json"), InputError);
  EXPECT_THROW(CheckBenchJson(R"([{"graph":"g","platform":"p","solver":"s","status":"x","gap":"a","solve_time_s":1}])",
                              "b.json"),
               InputError);
  try {
    CheckBenchJson(R"([{"format":"diviml-plan-v1"}])", "b.json");
    FAIL();
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find('\n'), std::string::npos);
    EXPECT_EQ(what.rfind("b.json: ", 0), 0u);
  }
  const auto rows = CheckBenchJson(
      R"([{"graph":"g","platform":"p","solver":"s","status":"feasible","gap":0.1,"solve_time_s":1},
          {"graph":"g","platform":"p","solver":"t","status":"error","gap":null,"solve_time_s":0}])",
      "b.json");
  EXPECT_EQ(rows.size(), 2u);
}

struct Cmd {
  int code;
  std::string out, err;
};

Cmd Report(const std::string& graph, const std::string& plan, const std::string& bench, const std::string& out) {
  ReportArgs a;
  a.graph = graph;
  a.platform = "zoo:paper";
  a.plan = plan;
  a.bench = bench;
  a.out = out;
  std::ostringstream o, e;
  int code = RunReport(a, o, e);
  return {code, o.str(), e.str()};
}

TEST(Report, CommandWritesThePageAndRefusesBadInput) {
  // A plan of resnet50 from `solve --out`, with --report written alongside.
  const std::string plan = Temp("plan.json"), html = Temp("solve.html");
  SolveArgs s;
  s.graph = "zoo:resnet50";
  s.platform = "zoo:paper";
  s.solver = "heft";
  s.out = plan;
  s.report = html;
  std::ostringstream so, se;
  ASSERT_EQ(RunSolve(s, so, se), 0) << se.str();
  ASSERT_TRUE(fs::exists(html));
  EXPECT_NE(ReadFile(html).find("\"solver\":\"heft\""), std::string::npos);

  const std::string out = Temp("report.html");
  Cmd ok = Report("zoo:resnet50", plan, "", out);
  ASSERT_EQ(ok.code, 0) << ok.err;
  EXPECT_TRUE(fs::exists(out));
  EXPECT_NE(ReadFile(out).find("heft (plan file)"), std::string::npos);
  fs::remove(out);

  auto one_line_no_file = [&](const Cmd& c, const std::string& what) {
    EXPECT_EQ(c.code, 1) << what;
    EXPECT_EQ(std::count(c.err.begin(), c.err.end(), '\n'), 1) << c.err;
    EXPECT_NE(c.err.find(what), std::string::npos) << c.err;
    EXPECT_FALSE(fs::exists(out));
  };
  // A plan for another graph.
  one_line_no_file(Report("zoo:googlenet", plan, "", out), "not 'googlenet'");
  // The same plan with its graph name removed: its nodes do not match.
  nlohmann::json j = nlohmann::json::parse(ReadFile(plan));
  j.erase("graph");
  const std::string anon = Temp("anon.json");
  WriteFileAtomic(anon, j.dump());
  one_line_no_file(Report("zoo:googlenet", anon, "", out), anon);
  // A bench file of another format (a plan file), and a missing one.
  one_line_no_file(Report("zoo:resnet50", plan, plan, out), "diviml bench --json");
  one_line_no_file(Report("zoo:resnet50", plan, Temp("missing.json"), out), "missing.json");
  // A bench file that fits.
  const std::string bench = Temp("bench.json");
  WriteFileAtomic(bench, R"([{"graph":"resnet50","platform":"paper","solver":"heft","status":"feasible",
                              "gap":0.2,"solve_time_s":0.001,"makespan_s":0.002,"lower_bound_s":0.0017}])");
  Cmd with_bench = Report("zoo:resnet50", plan, bench, out);
  ASSERT_EQ(with_bench.code, 0) << with_bench.err;
  EXPECT_NE(ReadFile(out).find("\"bench\":[{"), std::string::npos);
  for (const std::string& f : {plan, html, out, anon, bench}) fs::remove(f);
}

TEST(Report, CommandReadsThroughputPlans) {
  const std::string plan = Temp("tp.json"), out = Temp("tp.html");
  SolveArgs s;
  s.graph = "zoo:resnet50";
  s.platform = "zoo:paper";
  s.solver = "auto";
  s.objective = "throughput";
  s.out = plan;
  std::ostringstream so, se;
  ASSERT_EQ(RunSolve(s, so, se), 0) << se.str();
  Cmd c = Report("zoo:resnet50", plan, "", out);
  ASSERT_EQ(c.code, 0) << c.err;
  const std::string page = ReadFile(out);
  EXPECT_NE(page.find("\"throughput\":{"), std::string::npos);
  EXPECT_NE(page.find("\"objective\":\"throughput\""), std::string::npos);
  fs::remove(plan);
  fs::remove(out);
}

}  // namespace
}  // namespace diviml
