// The `diviml` command: argument parsing only; the work is in the library
// (include/diviml/cli.h).
#include <CLI/CLI.hpp>
#include <iostream>

#include "diviml/cli.h"

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
  s->add_option("--solver,-s", solve.solver, "single | heft | peft | cpop | etf | rls | milp | ...")
      ->capture_default_str();
  s->add_option("--objective", solve.objective, "latency (throughput: later)")->capture_default_str();
  s->add_option("--time-limit", solve.options.time_limit_s, "wall-clock limit in seconds (default: none)")
      ->check(CLI::PositiveNumber);
  s->add_option("--gap-limit", solve.options.gap_limit, "relative gap at which exact solvers stop (default 0)")
      ->check(CLI::Range(0.0, 1.0));
  s->add_option("--threads", solve.options.threads, "solver threads (default 1)")->check(CLI::Range(1, 256));
  s->add_option("--seed", solve.options.seed, "seed of randomised components (default 0)");
  s->add_option("--milp-backend", solve.options.milp_backend, "highs | cbc (default: highs when built)")
      ->check(CLI::IsMember({"highs", "cbc"}));
  s->add_option("--dump-model", solve.options.dump_model, "write the MILP in LP format to this file");
  s->add_flag("--quiet,-q", solve.options.quiet, "no progress output on stderr");
  s->add_option("--out,-o", solve.out, "write the plan (JSON, readable by `diviml eval`)");
  s->add_option("--gantt", solve.gantt, "write a Gantt chart (SVG)");

  CommonArgs bound;
  auto* b = app.add_subcommand("bound", "print every lower bound on the makespan and the best");
  AddCommon(b, &bound);

  EvalArgs eval;
  auto* e = app.add_subcommand("eval", "check a plan file and compute its schedule and makespan");
  AddCommon(e, &eval);
  e->add_option("--plan", eval.plan, "plan JSON (as written by solve --out)")->required();
  e->add_option("--gantt", eval.gantt, "write a Gantt chart (SVG)");

  CommonArgs info;
  auto* i = app.add_subcommand("info", "print a graph's nodes, edges, flops, parameters and heaviest operators");
  i->add_option("--graph,-g", info.graph, "graph: file, zoo:NAME or randwire:SPEC")->required();
  i->add_flag("--json", info.json, "print one JSON object on stdout");

  bool zoo_json = false;
  auto* z = app.add_subcommand("zoo", "list the bundled models and platform presets");
  z->add_flag("--json", zoo_json, "print one JSON object on stdout");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& err) {
    return app.exit(err);
  }
  if (*s) return RunSolve(solve, std::cout, std::cerr);
  if (*b) return RunBound(bound, std::cout, std::cerr);
  if (*e) return RunEval(eval, std::cout, std::cerr);
  if (*i) return RunInfo(info, std::cout, std::cerr);
  if (*z) return RunZoo(zoo_json, std::cout, std::cerr);
  return 1;
}
