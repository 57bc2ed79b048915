// Decoder-only large language models (docs/llm.md): a config (hidden size,
// layers, heads, KV heads, FFN size, vocabulary, tied embeddings, dtype),
// a workload (batch, prompt and generated tokens, phase), the published
// presets, the parameter / flop / KV-cache formulas, and the layer-level
// graph (embedding, L identical decoder layers, head) that solvers and the
// LLM planner work on. Everything is O(1) per formula and O(L) per graph.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "diviml/graph/graph.h"

namespace diviml {

struct LlmConfig {
  std::string name;        // preset name or config path
  std::string hf_name;     // Hugging Face model id ("" when unknown)
  long long hidden = 0;    // h
  long long layers = 0;    // L
  long long heads = 0;     // a (query heads)
  long long kv_heads = 0;  // g
  long long ffn = 0;       // f
  long long vocab = 0;     // V
  long long positions = 0; // learned position embeddings (GPT-2), 0 = rotary
  bool tied = false;       // head shares the embedding matrix
  bool gated = true;       // gated MLP (3hf) vs plain (2hf, GPT-2)
  bool bias = false;       // linear layers and norms carry biases (GPT-2)
  std::string dtype = "fp16";  // torch_dtype of the checkpoint
  long long head_dim() const { return heads > 0 ? hidden / heads : 0; }
};

enum class LlmPhase { kPrefill, kDecode, kBoth };
const char* LlmPhaseName(LlmPhase p);  // "prefill", "decode", "both"

struct LlmWorkload {
  long long batch = 1;    // sequences processed together
  long long prompt = 512; // prompt tokens per sequence
  long long gen = 128;    // generated tokens per sequence
  LlmPhase phase = LlmPhase::kBoth;
  std::string dtype;      // weights: fp16, bf16, fp32, int8, int4 ("" = config's)
};

struct LlmModel {
  LlmConfig config;
  LlmWorkload workload;
  // Bytes per weight element (int4 = 0.5) and per activation / KV element
  // (fp32 -> 4, anything else 2: quantised weights keep fp16 activations).
  double weight_bytes() const;
  double act_bytes() const;
  // Dtype the matrix multiplies run in (the device peak the roofline uses):
  // fp32 / fp16 / bf16 as the weights; int8 weights -> int8 (W8A8 kernels);
  // int4 weights -> the checkpoint's fp16 / bf16 (weight-only kernels
  // dequantise to it), else fp16.
  std::string compute_dtype() const;
};

// The presets: gpt2, gpt2-xl, llama-2-7b, llama-2-13b, llama-2-70b,
// llama-3-8b, llama-3-70b, mistral-7b (values of their config.json).
const std::vector<LlmConfig>& LlmPresets();
const LlmConfig* FindLlmPreset(const std::string& name);
// Bytes per element of a dtype name; nullopt when unknown.
std::optional<double> DtypeBytes(const std::string& dtype);

// Parameter counts (elements). Layer: 2h^2 + 2hgd + 3hf (2hf plain) plus
// norms (and biases); embedding V h (+ positions h); head V h unless tied,
// plus the final norm.
double LayerParams(const LlmConfig& c);
double EmbeddingParams(const LlmConfig& c);
double HeadParams(const LlmConfig& c);  // without the tied matrix
double TotalParams(const LlmConfig& c);

// KV cache bytes per token per layer: 2 g d b.
double KvBytesPerTokenLayer(const LlmModel& m);
// Forward flops of one layer per token at context s: 2P + 4sh.
double LayerFlopsPerToken(const LlmConfig& c, double context);
// One layer, the whole batch: prefill of n tokens 2Pn + 2hn^2 per sequence;
// a decode step at the last position s = prompt + gen: 2P + 4sh.
double LayerFlops(const LlmModel& m, LlmPhase phase);
// Head flops (LM head on the last token of each sequence): 2 V h per token.
double HeadFlops(const LlmModel& m, LlmPhase phase);
// Tokens a layer processes in a phase: batch x prompt, or batch.
double PhaseTokens(const LlmModel& m, LlmPhase phase);

// Per node of the layer-level graph: weights (+ the layer's KV cache for the
// whole batch at full context) in param_bytes, activation workspace in
// memory_bytes, the hidden state (tokens x h x b) on every edge.
struct LlmNodeWork {
  std::string op;
  double flops = 0, param_bytes = 0, output_bytes = 0, memory_bytes = 0;
};
LlmNodeWork EmbeddingWork(const LlmModel& m, LlmPhase phase);
LlmNodeWork LayerWork(const LlmModel& m, LlmPhase phase);
LlmNodeWork HeadWork(const LlmModel& m, LlmPhase phase);
double HiddenBytes(const LlmModel& m, LlmPhase phase);

// The layer-level chain "embed", "layer0".."layer{L-1}", "head" of one phase
// (kBoth -> prefill). Finalized.
Graph BuildLlmGraph(const LlmModel& m, LlmPhase phase);
// The operator-level chain: per layer attn_norm, qkv, attention, o_proj,
// mlp_norm, mlp (ids "layerK.qkv", ...), same total flops and bytes as the
// layer-level graph. Finalized.
Graph BuildLlmOperatorGraph(const LlmModel& m, LlmPhase phase);

}  // namespace diviml
