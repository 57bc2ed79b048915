// LLM plan exporters (include/diviml/export/export.h, docs/llm.md): JSON,
// the terminal summary, vLLM, llama.cpp and torch.distributed.pipelining.
// A plan a runtime cannot express is refused (InputError), never bent.
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "diviml/cost/cost_model.h"
#include "diviml/export/export.h"
#include "diviml/util/error.h"

namespace diviml {
namespace {

nlohmann::json Num(double x) {
  if (std::isfinite(x)) return x;
  return nullptr;
}

const LlmPlan& LlmOf(const Result& r, const char* exporter) {
  if (!r.llm || r.llm->stages.empty())
    throw InputError(std::string("--export ") + exporter + ": needs a plan of --solver llm (or llm-memory, llm-flops) on an llm: model");
  for (const LlmStage& st : r.llm->stages)
    if (st.split_ops)
      throw InputError(std::string("--export ") + exporter + ": the plan splits layers into attention and MLP on " +
                       "different devices, which this runtime cannot run; plan with granularity layer");
  return *r.llm;
}

bool IsGpu(const Device& d) { return KindOf(d, RooflineOptions()) == DeviceKind::kGpu; }

// The index of device d among its server's GPUs (CUDA order), -1 for a CPU.
int GpuIndex(const Platform& pl, int d) {
  if (!IsGpu(pl.devices[d])) return -1;
  int k = 0;
  for (int e = 0; e < d; ++e)
    if (pl.devices[e].server == pl.devices[d].server && IsGpu(pl.devices[e])) ++k;
  return k;
}

std::string ModelId(const LlmPlan& p) {
  return p.model.config.hf_name.empty() ? p.model.config.name : p.model.config.hf_name;
}

std::string Header(const Problem& pr, const Result& r, const char* what) {
  const LlmPlan& p = *r.llm;
  std::string s = fmt::format("# {} for {} on {} (diviml --solver {}, objective {}, target {})\n", what,
                              p.model.config.name, pr.platform().name, r.solver, ObjectiveName(r.objective), p.target);
  s += fmt::format("# predicted: TTFT {:.6g} s, time per output token {:.6g} s, {:.6g} tokens/s\n", p.ttft_s, p.tpot_s,
                   p.tokens_per_s);
  return s;
}

struct PipeStage {
  std::string server;
  std::vector<int> devices;
  int layers = 0, first = 0;
};

}  // namespace

nlohmann::json LlmResultJson(const Problem& pr, const Result& r) {
  const LlmPlan& p = *r.llm;
  const Platform& pl = pr.platform();
  nlohmann::json j;
  j["format"] = "diviml-llm-plan-v1";
  j["model"] = p.model.config.name;
  if (!p.model.config.hf_name.empty()) j["hf_model"] = p.model.config.hf_name;
  j["platform"] = pl.name;
  j["solver"] = r.solver;
  j["strategy"] = p.strategy;
  j["objective"] = ObjectiveName(r.objective);
  j["status"] = StatusName(r.status);
  j["target"] = p.target;
  const LlmWorkload& w = p.model.workload;
  j["workload"] = {{"batch", w.batch}, {"prompt", w.prompt}, {"gen", w.gen}, {"phase", LlmPhaseName(w.phase)},
                   {"dtype", w.dtype.empty() ? p.model.config.dtype : w.dtype}};
  j["parameters"] = TotalParams(p.model.config);
  j["value"] = Num(p.value);
  j["lower_bound"] = Num(p.lower_bound);
  j["gap"] = r.gap ? nlohmann::json(*r.gap) : nlohmann::json(nullptr);
  j["bound_note"] = p.bound_note;
  j["bound_above_plan"] = r.bound_above_plan;
  j["ttft_s"] = Num(p.ttft_s);
  j["tpot_s"] = Num(p.tpot_s);
  j["e2e_s"] = Num(p.e2e_s);
  j["tokens_per_s"] = Num(p.tokens_per_s);
  j["period_s"] = Num(p.period_s);
  j["micro_batches"] = p.micro_batches;
  j["micro_batch"] = p.micro_batch;
  if (p.throughput) j["tokens_per_s_upper_bound"] = Num(p.tokens_per_s_upper);
  j["servers_used"] = p.servers_used;
  j["min_servers"] = p.min_servers;
  j["servers_reason"] = p.servers_reason;
  j["subproblems"] = {{"solved", p.subproblems_solved}, {"reused", p.subproblems_reused}};
  j["solve_time_s"] = p.solve_time_s;
  if (!p.restriction_note.empty()) {
    j["unrestricted_value"] = Num(p.unrestricted_value);
    j["restriction"] = p.restriction_note;
  }
  if (!r.message.empty()) j["message"] = r.message;
  nlohmann::json stages = nlohmann::json::array();
  for (const LlmStage& st : p.stages) {
    nlohmann::json s;
    s["server"] = st.server_name;
    s["server_type"] = st.server_type;
    s["layers"] = {st.first_layer, st.first_layer + st.num_layers};
    s["tp"] = st.tp;
    if (st.split_ops) s["split"] = "attention on devices[0], MLP on devices[1], every layer";
    s["prefill_s"] = st.prefill_s;
    s["decode_s"] = st.decode_s;
    nlohmann::json devs = nlohmann::json::array();
    int layer = st.first_layer;
    for (const LlmBlock& b : st.blocks) {
      const Device& d = pl.devices[b.device];
      nlohmann::json x = {{"device", d.name}, {"type", d.type}, {"layers", b.layers},
                          {"embed", b.embed}, {"head", b.head}, {"memory_bytes", b.memory_bytes},
                          {"capacity_bytes", Num(d.memory_bytes)}};
      if (st.tp == 1 && !st.split_ops) {
        x["layer_range"] = {layer, layer + b.layers};
        layer += b.layers;
      }
      devs.push_back(x);
    }
    s["devices"] = devs;
    stages.push_back(s);
  }
  j["stages"] = stages;
  return j;
}

std::string LlmResultText(const Problem& pr, const Result& r) {
  const LlmPlan& p = *r.llm;
  const Platform& pl = pr.platform();
  const LlmWorkload& w = p.model.workload;
  std::string s = fmt::format("llm: {} ({:.2f} B parameters, {}), batch {}, prompt {}, gen {}, phase {}\n",
                              p.model.config.name, TotalParams(p.model.config) / 1e9,
                              w.dtype.empty() ? p.model.config.dtype : w.dtype, w.batch, w.prompt, w.gen,
                              LlmPhaseName(w.phase));
  s += fmt::format("solver {} ({}), objective {}, target {}: {}\n", r.solver, p.strategy, ObjectiveName(r.objective),
                   p.target, StatusName(r.status));
  s += fmt::format("servers used: {} (fewest that fit: {}); {}\n", p.servers_used, p.min_servers, p.servers_reason);
  for (size_t i = 0; i < p.stages.size(); ++i) {
    const LlmStage& st = p.stages[i];
    std::string devs;
    for (const LlmBlock& b : st.blocks) {
      devs += fmt::format("{}{}:{}{}{} ({:.1f}/{:.1f} GB)", devs.empty() ? "" : ", ", pl.devices[b.device].name,
                          b.layers, b.embed ? "+embed" : "", b.head ? "+head" : "", b.memory_bytes / 1e9,
                          pl.devices[b.device].memory_bytes / 1e9);
    }
    s += fmt::format("  stage {} {} layers {}-{} tp {}{}: {}; prefill {:.4g} s, decode {:.4g} s\n", i, st.server_name,
                     st.first_layer, st.first_layer + st.num_layers - 1, st.tp,
                     st.split_ops ? " (attention | MLP)" : "", devs, st.prefill_s, st.decode_s);
  }
  s += fmt::format("TTFT {:.6g} s, time per output token {:.6g} s, end-to-end {:.6g} s\n", p.ttft_s, p.tpot_s, p.e2e_s);
  s += fmt::format("throughput {:.6g} tokens/s ({} micro-batches of {}, period {:.6g} s)\n", p.tokens_per_s,
                   p.micro_batches, p.micro_batch, p.period_s);
  std::string gap = r.gap ? fmt::format("{:.2f}%", 100 * *r.gap) : "-";
  s += fmt::format("{} {:.6g} s, lower bound {:.6g} s (gap {}){}\n", p.throughput ? "period" : "latency", p.value,
                   p.lower_bound, gap,
                   p.throughput ? fmt::format("; tokens/s at most {:.6g}", p.tokens_per_s_upper) : "");
  if (!p.restriction_note.empty()) s += p.restriction_note + "\n";
  s += fmt::format("sub-problems: {} solved, {} reused; solve time {:.4f} s\n", p.subproblems_solved,
                   p.subproblems_reused, p.solve_time_s);
  return s;
}

std::string VllmExport(const Problem& pr, const Result& r) {
  const LlmPlan& p = LlmOf(r, "vllm");
  const Platform& pl = pr.platform();
  std::vector<PipeStage> stages;
  int tp = -1;
  for (const LlmStage& st : p.stages) {
    if (tp >= 0 && st.tp != tp)
      throw InputError("--export vllm: the plan uses different tensor-parallel degrees (vLLM needs one); plan with --target vllm");
    tp = st.tp;
    for (const LlmBlock& b : st.blocks)
      if (!IsGpu(pl.devices[b.device]))
        throw InputError("--export vllm: the plan puts layers on '" + pl.devices[b.device].name +
                         "', not a GPU (vLLM runs on GPUs only); plan with --target vllm");
    if (st.tp > 1) {
      PipeStage ps{st.server_name, {}, st.num_layers, st.first_layer};
      for (const LlmBlock& b : st.blocks) ps.devices.push_back(b.device);
      stages.push_back(ps);
    } else {
      int layer = st.first_layer;
      for (const LlmBlock& b : st.blocks) {
        if (b.layers == 0)
          throw InputError("--export vllm: a pipeline stage of the plan holds no decoder layer; plan with --target vllm");
        stages.push_back({st.server_name, {b.device}, b.layers, layer});
        layer += b.layers;
      }
    }
  }
  std::string s = Header(pr, r, "vLLM");
  std::string partition;
  for (const PipeStage& ps : stages) partition += (partition.empty() ? "" : ",") + std::to_string(ps.layers);
  // GPUs per server in stage order.
  std::vector<std::string> servers;
  std::map<std::string, std::string> gpus;
  for (size_t i = 0; i < stages.size(); ++i) {
    const PipeStage& ps = stages[i];
    std::string names;
    for (int d : ps.devices) names += (names.empty() ? "" : ",") + pl.devices[d].name;
    s += fmt::format("# stage {}: {} {} layers {}-{}\n", i, ps.server, names, ps.first, ps.first + ps.layers - 1);
    if (!gpus.count(ps.server)) servers.push_back(ps.server);
    for (int d : ps.devices) gpus[ps.server] += (gpus[ps.server].empty() ? "" : ",") + std::to_string(GpuIndex(pl, d));
  }
  const bool multi = servers.size() > 1;
  if (multi) {
    s += fmt::format("# 1. ray, in stage order (head on {}):\n", servers[0]);
    for (size_t i = 0; i < servers.size(); ++i)
      s += fmt::format("CUDA_VISIBLE_DEVICES={} ray start {}  # on {}\n", gpus[servers[i]],
                       i == 0 ? "--head --port=6379" : "--address=" + servers[0] + ":6379", servers[i]);
    // vLLM's Ray executor ranks workers by node (the driver's first, then
    // by GPU count and IP), not by the order ray joined: check that the
    // stage order below matches it.
    s += "# vLLM ranks the head node's GPUs first, then the workers' (fewer GPUs first, then by IP); pick the\n"
         "# servers' addresses so that this is the stage order, else the partition runs on other GPUs\n";
    s += "# 2. on " + servers[0] + ":\n";
  }
  s += fmt::format("{}VLLM_PP_LAYER_PARTITION=\"{}\" vllm serve {} --pipeline-parallel-size {} --tensor-parallel-size {}{}\n",
                   multi ? "" : "CUDA_VISIBLE_DEVICES=" + gpus[servers[0]] + " ", partition, ModelId(p), stages.size(),
                   tp, multi ? " --distributed-executor-backend ray" : "");
  return s;
}

// llama.cpp (protocol-3 RPC builds, late 2025 on): layers not offloaded
// (n_layer + 1 - --n-gpu-layers of them) run first, on the main host's CPU,
// which is not a --device; --tensor-split spreads the offloaded layers (the
// output layer counted on the last device) over the --device list in its
// order. Remote devices are RPC<i>, numbered in the order of the --rpc
// endpoints (one rpc-server per device here, started with -d <its local
// name>); older protocol-2 builds named them RPC[host:port] and had no -d.
std::string LlamaCppExport(const Problem& pr, const Result& r) {
  const LlmPlan& p = LlmOf(r, "llamacpp");
  const Platform& pl = pr.platform();
  for (const LlmStage& st : p.stages)
    if (st.tp > 1)
      throw InputError("--export llamacpp: the plan uses tensor parallelism (llama.cpp splits layers only here); "
                       "plan with --target llamacpp");
  const std::string head = p.stages.front().server_name;
  std::vector<std::string> devices, counts, rpc, lines;
  std::map<std::string, int> port;
  const long long L = p.model.config.layers;
  long long sum = 0, cpu_layers = 0;
  bool offloaded = false;
  for (const LlmStage& st : p.stages)
    for (const LlmBlock& b : st.blocks) {
      const Device& d = pl.devices[b.device];
      const int gi = GpuIndex(pl, b.device);
      const std::string local = gi < 0 ? "CPU" : "CUDA" + std::to_string(gi);
      const int count = b.layers + (b.head ? 1 : 0);  // the output layer counts on the last device
      sum += count;
      if (st.server_name == head && gi < 0) {
        if (offloaded && count > 0)
          throw InputError("--export llamacpp: the plan runs layers on the main host's CPU '" + d.name +
                           "' after offloaded ones; llama.cpp keeps the CPU layers of the main host first");
        cpu_layers += count;
        continue;
      }
      if (count == 0) continue;
      offloaded = true;
      counts.push_back(std::to_string(count));
      if (st.server_name == head) {
        devices.push_back(local);
      } else {
        const int pt = 50052 + port[st.server_name]++;
        const std::string ep = st.server_name + ":" + std::to_string(pt);
        devices.push_back("RPC" + std::to_string(rpc.size()));
        rpc.push_back(ep);
        lines.push_back(fmt::format("rpc-server -H 0.0.0.0 -p {} -d {}  # on {} ({})", pt, local, st.server_name,
                                    d.name));
      }
    }
  if (sum != L + 1) throw std::logic_error("llama.cpp export: layer counts do not sum to L + 1");
  std::string s = Header(pr, r, "llama.cpp");
  if (!lines.empty()) {
    s += "# 1. on the other servers:\n";
    for (const std::string& l : lines) s += l + "\n";
    s += "# 2. on " + head + ":\n";
  }
  auto join = [](const std::vector<std::string>& v) {
    std::string x;
    for (const std::string& e : v) x += (x.empty() ? "" : ",") + e;
    return x;
  };
  if (cpu_layers > 0)
    s += fmt::format("# layers 0-{} on {}'s CPU (not offloaded), the rest in --device order\n", cpu_layers - 1, head);
  s += fmt::format("llama-server -m MODEL.gguf --split-mode layer --n-gpu-layers {}", L + 1 - cpu_layers);
  if (!devices.empty())
    s += fmt::format(" --device {}{} --tensor-split {}", join(devices), rpc.empty() ? "" : " --rpc " + join(rpc),
                     join(counts));
  else
    s += " --device none";
  return s + "\n";
}

std::string TorchPipeliningExport(const Problem& pr, const Result& r) {
  const LlmPlan& p = LlmOf(r, "torch-pipelining");
  const Platform& pl = pr.platform();
  std::string spec, stages;
  int index = 0;
  for (const LlmStage& st : p.stages) {
    if (st.tp > 1)
      throw InputError("--export torch-pipelining: the plan uses tensor parallelism (the split_spec expresses "
                       "pipeline stages only); plan with --target torch-pipelining");
    int layer = st.first_layer;
    for (const LlmBlock& b : st.blocks) {
      if (b.layers == 0) continue;  // embedding / head only: runs with its neighbour stage
      if (index > 0) spec += fmt::format("    \"model.layers.{}\": SplitPoint.BEGINNING,\n", layer);
      stages += fmt::format("    {{\"stage\": {}, \"server\": \"{}\", \"device\": \"{}\", \"layers\": [{}, {}]}},\n",
                            index++, st.server_name, pl.devices[b.device].name, layer, layer + b.layers);
      layer += b.layers;
    }
  }
  std::string s = Header(pr, r, "torch.distributed.pipelining");
  // Module paths of a Hugging Face *ForCausalLM ("model.layers.K"); a
  // bare decoder (e.g. torchtitan's Transformer) names them "layers.K".
  s += "from torch.distributed.pipelining import SplitPoint, pipeline\n\n";
  s += "# keys are module paths of a Hugging Face LlamaForCausalLM; drop \"model.\" for a bare decoder\n";
  s += "split_spec = {\n" + spec + "}\n";
  s += "# one rank per stage, in order (layers: [first, end) of model.layers)\n";
  s += "stages = [\n" + stages + "]\n";
  s += fmt::format("# pipe = pipeline(model, mb_args=(example_input_ids,), split_spec=split_spec)  # {} micro-batches\n",
                   p.micro_batches);
  return s;
}

}  // namespace diviml
