// The `diviml` command: argument parsing only; the work is in the library
// (include/diviml/cli.h).
#include <CLI/CLI.hpp>
#include <cmath>
#include <iostream>

#include <fmt/format.h>

#include "diviml/cli/cli.h"

using namespace diviml;

static void AddCommon(CLI::App* cmd, CommonArgs* a) {
  cmd->add_option("--graph,-g", a->graph, "graph: .graph.json or .stg file")->required();
  cmd->add_option("--platform,-p", a->platform, "platform: .platform.json file or identical:M")->required();
  cmd->add_option("--profile", a->profile, "measured times per node (JSON or CSV); override the cost model");
  cmd->add_flag("--coarsen", a->coarsen, "fuse trivial operators (reshape, activations, ...) into neighbours");
  cmd->add_flag("--json", a->json, "print one JSON object on stdout");
}

int main(int argc, char** argv) {
  CLI::App app{"DiviML: map neural networks onto heterogeneous devices, with a lower bound"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "diviml 0.1.0");

  SolveArgs solve;
  auto* s = app.add_subcommand("solve", "find a plan (device per operator + order) and schedule it");
  AddCommon(s, &solve);
  s->add_option("--solver,-s", solve.solver, SolverHelp())->capture_default_str();
  s->add_option("--param", solve.params,
                "solver parameter NAME=VALUE, repeatable (e.g. split.module_size=12; `diviml solvers` lists them)");
  s->add_flag("--strict", solve.strict, "exit 3 when a lower bound lies above the plan (a bug in that bound)");
  s->add_option("--objective", solve.objective, "latency | throughput")->capture_default_str();
  s->add_option("--replicas", solve.replicas, "throughput: copies of the graph, a number or auto")
      ->capture_default_str();
  s->add_option("--max-latency", solve.max_latency_s, "throughput: per-sample latency ceiling, seconds")
      ->check(CLI::PositiveNumber);
  s->add_option("--min-throughput", solve.min_throughput_per_s,
                "minimise latency subject to throughput >= this (samples/s)")
      ->check(CLI::PositiveNumber);
  s->add_option("--time-limit", solve.options.time_limit_s, "wall-clock limit in seconds (default: none)")
      ->check(CLI::PositiveNumber);
  s->add_option("--gap-limit", solve.options.gap_limit, "relative gap at which exact solvers stop (default 0)")
      ->check(CLI::Range(0.0, 1.0));
  s->add_option("--threads", solve.options.threads, "solver threads (default 1)")->check(CLI::Range(1, 256));
  s->add_option("--seed", solve.options.seed, "seed of randomised components (default 0)");
  s->add_option("--milp-backend", solve.options.milp_backend, "highs | cbc (default: highs when built)")
      ->check(CLI::IsMember({"highs", "cbc"}));
  s->add_option("--dump-model", solve.options.dump_model, "write the MILP in LP format to this file");
  bool quiet = false;
  s->add_flag("--quiet,-q", quiet, "no progress output on stderr");
  s->add_option("--out,-o", solve.out, "write the plan (JSON, readable by `diviml eval`)");
  s->add_option("--gantt", solve.gantt, "write a Gantt chart (SVG)");
  s->add_option("--report", solve.report, "write the HTML report (one self-contained file)");
  s->add_option("--module-size", solve.module_size, "alias of --param split.module_size=N")
      ->check(CLI::Range(2, 200));
  s->add_option("--export", solve.export_format,
                "print this format after the summary (with --out: write it there): json, text, svg, vllm, llamacpp, "
                "torch-pipelining");
  s->add_option("--target", solve.target, "LLM planners: only plans this runtime runs (vllm, llamacpp, torch-pipelining)");
  s->add_option("--tensor-parallel", solve.tensor_parallel, "LLM planners: auto | 1 | 2 | 4 | 8");
  s->add_option("--max-servers", solve.max_servers, "LLM planners: most servers to use")->check(CLI::PositiveNumber);

  BoundArgs bound;
  auto* b = app.add_subcommand("bound", "print every lower bound on the makespan and the best");
  AddCommon(b, &bound);
  b->add_option("--module-exact", bound.module_exact_s,
                "also module_exact (each module's MILP optimum) and module_chain (segments with boundary transfers), this many seconds each");
  b->add_option("--threads", bound.threads, "module_chain: segment MILPs solved at once (default 1)")
      ->check(CLI::Range(1, 256));

  EvalArgs eval;
  auto* e = app.add_subcommand("eval", "check a plan file and compute its schedule and makespan");
  AddCommon(e, &eval);
  e->add_option("--plan", eval.plan, "plan JSON (as written by solve --out)")->required();
  e->add_option("--gantt", eval.gantt, "write a Gantt chart (SVG)");
  e->add_option("--objective", eval.objective, "latency | throughput (adds simulated figures)")
      ->capture_default_str();

  ReportArgs report;
  auto* rp = app.add_subcommand("report", "write the HTML report of a plan file (graph, Gantt, bound, devices)");
  AddCommon(rp, &report);
  rp->add_option("--plan", report.plan, "plan JSON (as written by solve --out)")->required();
  rp->add_option("--bench", report.bench, "also show a `diviml bench --json` file (solver table, gap vs time)");
  rp->add_option("--out,-o", report.out, "the HTML file to write")->required();

  CommonArgs info;
  auto* i = app.add_subcommand("info", "print a graph's nodes, edges, flops, parameters and heaviest operators");
  i->add_option("--graph,-g", info.graph, "graph: file, zoo:NAME or randwire:SPEC")->required();
  i->add_flag("--json", info.json, "print one JSON object on stdout");

  bool zoo_json = false;
  auto* z = app.add_subcommand("zoo", "list the bundled models and platform presets");
  z->add_flag("--json", zoo_json, "print one JSON object on stdout");

  bool solvers_json = false;
  auto* sv = app.add_subcommand("solvers", "list every solver with its objectives and parameters");
  sv->add_flag("--json", solvers_json, "print one JSON object on stdout");

  BenchArgs bench;
  auto* bn = app.add_subcommand("bench", "run a suite of models x platforms x solvers and print one table");
  bn->add_option("--models", bench.models, "comma-separated graphs (zoo names, zoo:NAME, randwire:SPEC, files; default: all zoo models and RandWire ER/BA/WS small and regular)");
  bn->add_option("--platforms", bench.platforms, "comma-separated platforms")->capture_default_str();
  bn->add_option("--solvers", bench.solvers, "comma-separated solvers (e.g. add milp)")->capture_default_str();
  bn->add_option("--time-limit", bench.time_limit_s, "split's budget per run in seconds (default: split's own, 20 s)");
  bn->add_option("--milp-time-limit", bench.milp_time_limit_s, "milp's limit per run in seconds")->capture_default_str();
  bn->add_option("--module-exact", bench.module_exact_s, "also compute the module_exact and module_chain bounds, this many seconds each");
  bn->add_option("--module-size", bench.module_size, "split's group size in nodes (default: 24, 32 by split.auto_module_size)");
  bn->add_option("--csv", bench.csv, "also write the table as CSV");
  bn->add_option("--json", bench.json_path, "also write the table as JSON");
  bn->add_flag("--quiet,-q", bench.quiet, "no progress bar");
  bn->add_flag("--throughput,!--no-throughput", bench.throughput,
               "throughput columns: best single device (R = 1) vs split (R = auto) and the speed-up (default on)");
  bn->add_option("--throughput-time-limit", bench.throughput_time_limit_s,
                 "split's throughput budget per graph and platform in seconds (default: none)");

  ExportArgs exp;
  auto* x = app.add_subcommand("export", "write a plan as artifacts a runtime executes (per-device ONNX parts)");
  x->add_option("--graph,-g", exp.graph, "the model: .onnx file or zoo:NAME")->required();
  x->add_option("--plan", exp.plan, "latency plan JSON (as written by solve --out)")->required();
  x->add_option("--format", exp.format, "onnx-parts")->capture_default_str();
  x->add_option("--out,-o", exp.out, "directory for the parts and manifest.json")->required();
  x->add_option("--fill-weights", exp.fill_weights,
                "initializers without data: auto (random for zoo models) | random | none")->capture_default_str();
  x->add_option("--seed", exp.seed, "seed of the random weights")->capture_default_str();
  x->add_flag("--json", exp.json, "print the manifest as JSON");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& err) {
    return app.exit(err);
  }
  // Throughput without --solver: "auto" (DefaultThroughputSolver); the
  // latency default stays heft.
  if (*s && s->count("--solver") == 0 && (solve.objective == "throughput" || solve.min_throughput_per_s > 0))
    solve.solver = "auto";
  if (*s && !quiet)
    solve.options.progress = [](const Progress& p) {
      std::string gap = std::isfinite(p.gap) ? fmt::format("{:.2f}%", 100 * p.gap) : "-";
      std::cerr << fmt::format("[{}] {:7.1f}s  best {:<12.6g} bound {:<12.6g} gap {:>7}  {}\n", p.source,
                               p.elapsed_s, p.incumbent, p.bound, gap, p.message);
    };
  if (*s) return RunSolve(solve, std::cout, std::cerr);
  if (*sv) return RunSolvers(solvers_json, std::cout, std::cerr);
  if (*b) return RunBound(bound, std::cout, std::cerr);
  if (*e) return RunEval(eval, std::cout, std::cerr);
  if (*rp) return RunReport(report, std::cout, std::cerr);
  if (*i) return RunInfo(info, std::cout, std::cerr);
  if (*z) return RunZoo(zoo_json, std::cout, std::cerr);
  if (*x) return RunExport(exp, std::cout, std::cerr);
  if (*bn) return RunBench(bench, std::cout, std::cerr);
  return 1;
}
