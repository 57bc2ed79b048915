// diviml._diviml: the pybind11 extension behind the Python package
// (python/diviml). It binds the pipeline layer (LoadProblem, BuildProblem,
// Solve, Bound, Evaluate*), the exporters (ResultToJson for to_json(), so
// it equals the CLI's --json) and the solver registry; never the CLI layer.
// The pure-Python layer (python/diviml/__init__.py) gives the friendly API
// (keyword parameters, Result views); this file stays thin.
//
// Solving: the solver runs on the calling thread with the GIL released;
// from the main thread a SIGINT handler installed for the solve sets
// SolveOptions::interrupt on Ctrl-C, and the solver returns its best plan
// so far (RunInterruptible).
// A progress callable is called with the GIL held, from whatever thread the
// solver reports on.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <csignal>
#include <signal.h>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include <nlohmann/json.hpp>

#include "diviml/export/export.h"
#include "diviml/io/io.h"
#include "diviml/io/plan_io.h"
#include "diviml/pipeline/pipeline.h"
#include "diviml/util/error.h"

namespace py = pybind11;
using namespace diviml;

namespace {

// A problem shared by the results made from it.
struct PyProblem {
  std::shared_ptr<const Problem> problem;
  std::string graph_label, platform_label;
};

struct PyResult {
  std::shared_ptr<const Problem> problem;
  Result result;
  bool interrupted = false;  // Ctrl-C stopped the solve (best plan so far)
  double pipeline_s = 0;     // wall time of the pipeline's Solve (C++), seconds
  std::string ToJson(int indent) const { return ResultToJson(*problem, result).dump(indent); }
};

PyProblem MakeProblemFromSpecs(const std::string& graph, const std::string& platform, const std::string& profile,
                               bool coarsen) {
  Inputs in;
  in.graph = graph;
  in.platform = platform;
  in.profile = profile;
  in.coarsen = coarsen;
  PyProblem p;
  {
    py::gil_scoped_release nogil;
    p.problem = std::make_shared<const Problem>(LoadProblem(in));
  }
  p.graph_label = graph;
  p.platform_label = platform;
  return p;
}

PyProblem MakeProblem(const Graph& graph, const Platform& platform, const std::string& graph_label,
                      const std::string& platform_label, const std::string& profile, bool coarsen) {
  Inputs in;
  in.graph = graph_label;
  in.platform = platform_label;
  in.profile = profile;
  in.coarsen = coarsen;
  PyProblem p;
  p.problem = std::make_shared<const Problem>(BuildProblem(graph, platform, in));
  p.graph_label = graph_label;
  p.platform_label = platform_label;
  return p;
}

// Ctrl-C during a solve: a process-wide SIGINT handler, installed only for
// the duration of a solve called from the main thread, sets the solve's
// stop flag (an async-signal-safe atomic store); Python's own handler is
// restored afterwards. No extra thread, so the call adds no hand-off.
std::atomic<std::atomic<bool>*> g_sigint_target{nullptr};
std::atomic<bool> g_sigint_seen{false};

extern "C" void OnSigint(int) {
  g_sigint_seen.store(true);
  if (std::atomic<bool>* t = g_sigint_target.load()) t->store(true);
}

// Runs fn with the GIL released. From the main thread, returns true when
// Ctrl-C arrived (then *stop was set and fn ran to its end with its best
// plan so far).
template <typename Fn>
bool RunInterruptible(std::atomic<bool>* stop, bool main_thread, Fn fn) {
  if (!main_thread) {
    py::gil_scoped_release nogil;
    fn();
    return false;
  }
  struct sigaction sa {}, old {};
  sa.sa_handler = OnSigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  g_sigint_seen.store(false);
  g_sigint_target.store(stop);
  sigaction(SIGINT, &sa, &old);
  std::exception_ptr failure;
  {
    py::gil_scoped_release nogil;
    try {
      fn();
    } catch (...) {
      failure = std::current_exception();
    }
  }
  sigaction(SIGINT, &old, nullptr);
  g_sigint_target.store(nullptr);
  if (failure) std::rethrow_exception(failure);
  return g_sigint_seen.load();
}

struct SolveArgs {
  std::string solver;
  std::string objective;
  std::vector<std::string> params;
  double time_limit_s = INFINITY;
  double gap_limit = 0;
  int threads = 1;
  uint64_t seed = 0;
  std::string milp_backend;
  int replicas = 0;
  double max_latency_s = INFINITY;
  double min_throughput_per_s = 0;
};

Request MakeRequest(const SolveArgs& a) {
  Request req;
  std::optional<Objective> o = ParseObjective(a.objective);
  if (!o) throw InputError("objective: '" + a.objective + "' is not supported (latency, throughput)");
  req.objective = a.min_throughput_per_s > 0 ? Objective::kThroughput : *o;
  req.solver = a.solver;
  req.params = a.params;
  req.options.time_limit_s = a.time_limit_s;
  req.options.gap_limit = a.gap_limit;
  req.options.threads = a.threads;
  req.options.seed = a.seed;
  req.options.milp_backend = a.milp_backend;
  req.replicas = a.replicas;
  req.max_latency_s = a.max_latency_s;
  req.min_throughput_per_s = a.min_throughput_per_s;
  return req;
}

// The progress callable's shared state: the first exception it raised
// stops the solve and is rethrown afterwards.
struct ProgressState {
  py::object callback;
  std::mutex mu;
  std::optional<py::error_already_set> error;
};

PyResult SolveProblem(const PyProblem& p, const SolveArgs& a, py::object progress, bool main_thread) {
  Request req = MakeRequest(a);
  CheckRequest(req);  // bad requests fail at once, with the CLI's message
  std::atomic<bool> stop{false};
  req.options.interrupt = &stop;
  auto state = std::make_shared<ProgressState>();
  if (!progress.is_none()) {
    state->callback = progress;
    req.options.progress = [state, &stop](const Progress& pr) {
      py::gil_scoped_acquire gil;
      {
        std::lock_guard<std::mutex> lock(state->mu);
        if (state->error) return;
      }
      try {
        state->callback(pr.incumbent, pr.bound, pr.gap, pr.elapsed_s);
      } catch (py::error_already_set& e) {
        std::lock_guard<std::mutex> lock(state->mu);
        if (!state->error) state->error.emplace(std::move(e));
        stop.store(true);
      }
    };
  }
  PyResult out;
  out.problem = p.problem;
  out.interrupted = RunInterruptible(&stop, main_thread, [&] {
    const auto t0 = std::chrono::steady_clock::now();
    out.result = Solve(*p.problem, req);
    out.pipeline_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  });
  {
    std::lock_guard<std::mutex> lock(state->mu);
    if (state->error) {
      py::error_already_set e = std::move(*state->error);
      state->error.reset();
      throw e;
    }
  }
  state->callback = py::object();
  return out;
}

// An LLM planner (llm, llm-memory, llm-flops) on an llm: model and a
// cluster (docs/llm.md): the layer-level problem the exporters read and
// the result, as `diviml solve --solver llm` computes them.
py::tuple SolveLlmSpecs(const std::string& graph, const std::string& platform, const SolveArgs& a) {
  const Request req = MakeRequest(a);
  Inputs in;
  in.graph = graph;
  in.platform = platform;
  auto pr = std::make_shared<Problem>();
  PyResult out;
  {
    py::gil_scoped_release nogil;
    const auto t0 = std::chrono::steady_clock::now();
    out.result = SolveLlm(in, req, pr.get());
    out.pipeline_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  out.problem = pr;
  PyProblem p;
  p.problem = pr;
  p.graph_label = graph;
  p.platform_label = platform;
  return py::make_tuple(p, out);
}

py::dict SpecDict(const ParamSpec& s) {
  py::dict d;
  d["name"] = s.name;
  d["type"] = ParamTypeName(s.type);
  d["unit"] = s.unit;
  d["default"] = s.default_value;
  d["min"] = s.min;
  d["max"] = s.max;
  d["choices"] = s.choices;
  d["description"] = s.description;
  return d;
}

py::list Solvers() {
  py::list out;
  for (const SolverRecord& r : SolverRegistry()) {
    py::dict d;
    d["name"] = r.name;
    py::list objs;
    for (Objective o : r.objectives) objs.append(ObjectiveName(o));
    d["objectives"] = objs;
    d["description"] = r.description;
    d["reference"] = r.reference;
    d["llm"] = !r.llm_strategy.empty();
    py::list params;
    for (const ParamSpec& s : r.params) params.append(SpecDict(s));
    d["params"] = params;
    out.append(d);
  }
  return out;
}

// The object of `diviml bound --json`.
std::string BoundJson(const PyProblem& p, double module_exact_s, const std::string& backend) {
  BoundReport b;
  {
    py::gil_scoped_release nogil;
    b = Bound(*p.problem, module_exact_s, backend);
  }
  nlohmann::json j;
  j["graph"] = p.problem->graph().name;
  j["platform"] = p.problem->platform().name;
  j["lower_bound_s"] = b.best_s;
  j["best"] = b.best_name;
  nlohmann::json parts = nlohmann::json::array();
  for (const auto& part : b.parts)
    parts.push_back({{"name", part.name}, {"value_s", part.value_s}, {"detail", part.detail}});
  j["parts"] = parts;
  return j.dump();
}

PyResult EvaluatePlan(const PyProblem& p, const std::string& plan_json, const std::string& source,
                  const std::string& objective) {
  const std::optional<Objective> o = ParseObjective(objective);
  if (!o) throw InputError("objective: '" + objective + "' is not supported (latency, throughput)");
  PyResult out;
  out.problem = p.problem;
  out.result = *o == Objective::kLatency
                   ? EvaluateLatencyPlan(*p.problem, ParsePlanJson(plan_json, source, *p.problem))
                   : EvaluateThroughputPlan(*p.problem, ParseThroughputPlanJson(plan_json, source, *p.problem));
  return out;
}

}  // namespace

PYBIND11_MODULE(_diviml, m) {
  m.doc() = "DiviML's C++ core (pipeline layer and solver registry). Use the package `diviml`.";
  py::register_exception<InputError>(m, "InputError", PyExc_ValueError);

  py::class_<Node>(m, "Node", "One operator (read-only). Times in seconds, sizes in bytes.")
      .def_readonly("id", &Node::id)
      .def_readonly("op", &Node::op)
      .def_readonly("time_s", &Node::time_s, "execution time by device name or type, seconds (as read)")
      .def_readonly("flops", &Node::flops, "floating point operations (1 MAC = 2 flops)")
      .def_readonly("param_bytes", &Node::param_bytes)
      .def_readonly("output_bytes", &Node::output_bytes)
      .def_readonly("memory_bytes", &Node::memory_bytes)
      .def_readonly("pin", &Node::pin, "'' any device, 'host', or a device name")
      .def("__repr__", [](const Node& n) { return "<diviml.Node " + n.id + " (" + n.op + ")>"; });
  py::class_<Edge>(m, "Edge", "A tensor between two nodes (indices into Graph.nodes), bytes.")
      .def_readonly("source", &Edge::from)
      .def_readonly("target", &Edge::to)
      .def_readonly("bytes", &Edge::bytes)
      .def("__repr__", [](const Edge& e) {
        return "<diviml.Edge " + std::to_string(e.from) + "->" + std::to_string(e.to) + ">";
      });
  py::class_<Graph, std::shared_ptr<Graph>>(m, "Graph", "A DAG of operators (read-only view).")
      .def_readonly("name", &Graph::name)
      .def_property_readonly("nodes", [](const Graph& g) { return g.nodes; })
      .def_property_readonly("edges", [](const Graph& g) { return g.edges; })
      .def_property_readonly("num_nodes", &Graph::num_nodes)
      .def_property_readonly("num_edges", &Graph::num_edges)
      .def("find_node", &Graph::FindNode, "index of the node with this id, or -1")
      .def_property_readonly("topo_order", [](const Graph& g) { return g.topo_order(); });
  m.def("load_graph", [](const std::string& spec) {
    py::gil_scoped_release nogil;
    return std::make_shared<Graph>(LoadGraph(spec));
  });
  m.def("parse_graph_json", [](const std::string& text, const std::string& source) {
    return std::make_shared<Graph>(ParseGraphJson(text, source));
  });

  py::class_<Device>(m, "Device", "One device (read-only): FLOP/s, bytes, bytes/s.")
      .def_readonly("name", &Device::name)
      .def_readonly("type", &Device::type)
      .def_readonly("memory_bytes", &Device::memory_bytes)
      .def_readonly("peak_flops", &Device::peak_flops)
      .def_readonly("mem_bandwidth_Bps", &Device::mem_bandwidth_Bps)
      .def_readonly("server", &Device::server)
      .def("__repr__", [](const Device& d) { return "<diviml.Device " + d.name + " (" + d.type + ")>"; });
  py::class_<Platform, std::shared_ptr<Platform>>(m, "Platform", "Devices and links (read-only view).")
      .def_readonly("name", &Platform::name)
      .def_property_readonly("devices", [](const Platform& p) { return p.devices; })
      .def_property_readonly("num_devices", &Platform::num_devices)
      .def("find_device", &Platform::FindDevice)
      .def("link", [](const Platform& p, int d, int e) {
        if (d < 0 || e < 0 || d >= p.num_devices() || e >= p.num_devices() || !p.links_complete())
          throw py::index_error("link: no such device pair");
        return std::make_pair(p.link(d, e).bandwidth_Bps, p.link(d, e).latency_s);
      }, "(bandwidth_Bps, latency_s) of the d->e link");
  m.def("load_platform", [](const std::string& spec) {
    py::gil_scoped_release nogil;
    return std::make_shared<Platform>(LoadPlatform(spec));
  });
  m.def("parse_platform_json", [](const std::string& text, const std::string& source) {
    return std::make_shared<Platform>(ParsePlatformJson(text, source));
  });

  py::class_<PyProblem>(m, "Problem", "A graph on a platform with every time resolved (seconds).")
      .def_property_readonly("graph", [](const PyProblem& p) { return std::make_shared<Graph>(p.problem->graph()); })
      .def_property_readonly("platform",
                             [](const PyProblem& p) { return std::make_shared<Platform>(p.problem->platform()); })
      .def_property_readonly("n", [](const PyProblem& p) { return p.problem->n(); })
      .def_property_readonly("m", [](const PyProblem& p) { return p.problem->m(); })
      .def("time", [](const PyProblem& p, int i, int d) {
        if (i < 0 || d < 0 || i >= p.problem->n() || d >= p.problem->m()) throw py::index_error("time: no such node/device");
        return p.problem->p(i, d);
      }, "execution time of node i on device d, seconds")
      .def_property_readonly("times", [](const PyProblem& p) {
        std::vector<std::vector<double>> t(p.problem->n(), std::vector<double>(p.problem->m()));
        for (int i = 0; i < p.problem->n(); ++i)
          for (int d = 0; d < p.problem->m(); ++d) t[i][d] = p.problem->p(i, d);
        return t;
      }, "times[node][device], seconds");
  m.def("load_problem", &MakeProblemFromSpecs, py::arg("graph"), py::arg("platform"), py::arg("profile") = "",
        py::arg("coarsen") = false);
  m.def("build_problem", &MakeProblem, py::arg("graph"), py::arg("platform"), py::arg("graph_label"),
        py::arg("platform_label"), py::arg("profile") = "", py::arg("coarsen") = false);

  py::class_<PyResult>(m, "Result")
      .def("to_json", &PyResult::ToJson, py::arg("indent") = -1)
      .def_property_readonly("status", [](const PyResult& r) { return StatusName(r.result.status); })
      .def_property_readonly("has_plan", [](const PyResult& r) { return r.result.has_plan(); })
      .def_property_readonly("value", [](const PyResult& r) { return r.result.value; })
      .def_property_readonly("solve_time_s", [](const PyResult& r) { return r.result.solve_time_s; })
      .def_property_readonly("interrupted", [](const PyResult& r) { return r.interrupted; })
      .def_property_readonly("pipeline_s", [](const PyResult& r) { return r.pipeline_s; })
      .def_property_readonly("device", [](const PyResult& r) { return r.result.plan.device; })
      .def("export", [](const PyResult& r, const std::string& exporter) {
        const Exporter* e = FindExporter(exporter);
        if (e == nullptr) {
          std::string names;
          for (const Exporter& x : Exporters()) names += (names.empty() ? "" : ", ") + std::string(x.name);
          throw InputError("exporter: unknown '" + exporter + "' (" + names + ")");
        }
        return e->write(*r.problem, r.result);
      })
      .def("save", [](const PyResult& r, const std::string& exporter, const std::string& path) {
        ExportToFile(exporter, *r.problem, r.result, path);
      });

  py::class_<SolveArgs>(m, "SolveArgs")
      .def(py::init<>())
      .def_readwrite("solver", &SolveArgs::solver)
      .def_readwrite("objective", &SolveArgs::objective)
      .def_readwrite("params", &SolveArgs::params)
      .def_readwrite("time_limit_s", &SolveArgs::time_limit_s)
      .def_readwrite("gap_limit", &SolveArgs::gap_limit)
      .def_readwrite("threads", &SolveArgs::threads)
      .def_readwrite("seed", &SolveArgs::seed)
      .def_readwrite("milp_backend", &SolveArgs::milp_backend)
      .def_readwrite("replicas", &SolveArgs::replicas)
      .def_readwrite("max_latency_s", &SolveArgs::max_latency_s)
      .def_readwrite("min_throughput_per_s", &SolveArgs::min_throughput_per_s);
  m.def("check_request", [](const SolveArgs& a) { CheckRequest(MakeRequest(a)); });
  m.def("solve", &SolveProblem, py::arg("problem"), py::arg("args"), py::arg("progress") = py::none(),
        py::arg("main_thread") = false);
  m.def("solve_llm", &SolveLlmSpecs, py::arg("graph"), py::arg("platform"), py::arg("args"));
  m.def("bound_json", &BoundJson, py::arg("problem"), py::arg("module_exact_s") = 0.0,
        py::arg("milp_backend") = "");
  m.def("evaluate", &EvaluatePlan, py::arg("problem"), py::arg("plan_json"), py::arg("source"),
        py::arg("objective") = "latency");
  m.def("solvers", &Solvers);
  m.def("status_names", [] {
    std::vector<std::string> s;
    for (SolveStatus st : {SolveStatus::kOptimal, SolveStatus::kFeasible, SolveStatus::kTimeLimit,
                           SolveStatus::kNoSolutionFound, SolveStatus::kInfeasible, SolveStatus::kError})
      s.push_back(StatusName(st));
    return s;
  });
}
