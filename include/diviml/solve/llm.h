// The LLM planner (docs/llm.md): pipeline stages of contiguous decoder
// layers over the servers of a cluster, each stage's layers mapped over its
// server's devices (and optionally tensor parallelism over identical GPUs),
// found by a DP over the layer prefix and the number of servers used per
// server type. Stage costs are computed once per (server type, layers,
// first/last position, TP degree, micro-batch) and reused (the symmetry of
// equal servers); the count of sub-problems solved and reused is reported.
//
// Strategies: "dp" (the optimum over contiguous plans), "memory" and
// "flops" (baselines: layers split proportional to memory, as exo does, or
// to peak FLOP/s, the best server count). Costs: the roofline model of
// include/diviml/cost/cost_model.h on the layer-level graph of
// include/diviml/gen/llm.h. Complexity: O(types x L x 4 x sequences) stage
// sub-problems (sequences = ordered device subsets of one server, 15 for 3
// devices) plus a DP of O(L^2 x prod(n_t + 1) x types^2) per server count.
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "diviml/gen/llm.h"
#include "diviml/platform/platform.h"

namespace diviml {

struct LlmPlanOptions {
  bool throughput = false;       // objective: tokens/s (else latency)
  std::string strategy = "dp";   // dp | memory | flops
  int tensor_parallel = 0;       // 0 = auto (per stage the best degree), 1 = none, t = every stage t
  int max_servers = 0;           // 0 = every server of the cluster
  std::string target = "none";   // none | vllm | llamacpp | torch-pipelining
  // "operator": a stage may also run every layer's attention (norm, QKV,
  // attention, output projection) on one device and its MLP (norm, MLP) on
  // another (docs/llm.md); "layer": whole layers per device.
  std::string granularity = "layer";
  bool compare_unrestricted = true;  // with a target: also the unrestricted optimum
};

// Layers of one stage on one device (or, with tp > 1, on each GPU of the
// tensor-parallel group: then every block carries the stage's layers).
struct LlmBlock {
  int device = -1;         // platform device index
  int layers = 0;          // decoder layers
  bool embed = false, head = false;
  double memory_bytes = 0; // weights + KV cache + workspace on the device
};

struct LlmStage {
  int server = -1;       // ClusterView server index
  std::string server_name;
  int server_type = 0;
  int first_layer = 0, num_layers = 0;  // decoder layers [first, first + num)
  int tp = 1;
  // Operator split: blocks[0] runs the attention part and blocks[1] the MLP
  // part of every layer of the stage (both blocks carry num_layers).
  bool split_ops = false;
  std::vector<LlmBlock> blocks;  // in pipeline order
  double prefill_s = 0, decode_s = 0;  // batch B, including the transfer into the stage
};

struct LlmPlan {
  LlmModel model;
  std::string strategy, target = "none";
  bool throughput = false;
  LlmPhase phase = LlmPhase::kBoth;
  std::vector<LlmStage> stages;
  int servers_used = 0, min_servers = 0;  // min_servers: the fewest on which any plan fits
  std::string servers_reason;             // "memory: ..." or "speed: ..."
  // Latency figures at batch B.
  double ttft_s = 0, tpot_s = 0, e2e_s = 0;
  // Throughput: micro-batches of micro_batch sequences, one per stage.
  int micro_batches = 1;
  long long micro_batch = 1;
  double period_s = 0, tokens_per_s = 0;
  // The objective value (latency: ttft / tpot / e2e by phase; throughput:
  // the period) and its lower bound (throughput: on the period for this
  // plan's micro-batch; tokens_per_s_upper over every server count).
  double value = std::numeric_limits<double>::infinity();
  double lower_bound = 0;
  std::string bound_note;
  double tokens_per_s_upper = std::numeric_limits<double>::infinity();
  long long subproblems_solved = 0, subproblems_reused = 0;
  double solve_time_s = 0;
  // With a target: the unrestricted dp optimum and what the restriction cost.
  double unrestricted_value = std::numeric_limits<double>::quiet_NaN();
  std::string restriction_note;
  std::string message;
};

// Plans model on platform. InputError (one line) when the platform is not a
// cluster the planner can read, the model fits on no allowed subset of
// servers (the message says how many bytes are missing and where), or the
// target cannot run on it (vllm without GPUs).
LlmPlan PlanLlm(const LlmModel& model, const Platform& platform, const LlmPlanOptions& options);

// The same plan's figures recomputed from its stages (tests check the DP
// against it). Updates ttft/tpot/e2e, period, tokens/s, value, memory.
void EvaluateLlmPlan(const LlmModel& model, const Platform& platform, LlmPlan* plan);

}  // namespace diviml
