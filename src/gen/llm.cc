// LLM presets and formulas (include/diviml/gen/llm.h, docs/llm.md).
#include "diviml/gen/llm.h"

#include <algorithm>
#include <stdexcept>

namespace diviml {

const char* LlmPhaseName(LlmPhase p) {
  switch (p) {
    case LlmPhase::kPrefill: return "prefill";
    case LlmPhase::kDecode: return "decode";
    case LlmPhase::kBoth: return "both";
  }
  return "both";
}

const std::vector<LlmConfig>& LlmPresets() {
  // name, hf id, h, L, a, g, f, V, positions, tied, gated, bias, dtype
  // (the config.json values of each checkpoint).
  static const std::vector<LlmConfig> presets = {
      {"gpt2", "openai-community/gpt2", 768, 12, 12, 12, 3072, 50257, 1024, true, false, true, "fp32"},
      {"gpt2-xl", "openai-community/gpt2-xl", 1600, 48, 25, 25, 6400, 50257, 1024, true, false, true, "fp32"},
      {"llama-2-7b", "meta-llama/Llama-2-7b-hf", 4096, 32, 32, 32, 11008, 32000, 0, false, true, false, "fp16"},
      {"llama-2-13b", "meta-llama/Llama-2-13b-hf", 5120, 40, 40, 40, 13824, 32000, 0, false, true, false, "fp16"},
      {"llama-2-70b", "meta-llama/Llama-2-70b-hf", 8192, 80, 64, 8, 28672, 32000, 0, false, true, false, "fp16"},
      {"llama-3-8b", "meta-llama/Meta-Llama-3-8B", 4096, 32, 32, 8, 14336, 128256, 0, false, true, false, "bf16"},
      {"llama-3-70b", "meta-llama/Meta-Llama-3-70B", 8192, 80, 64, 8, 28672, 128256, 0, false, true, false, "bf16"},
      {"mistral-7b", "mistralai/Mistral-7B-v0.1", 4096, 32, 32, 8, 14336, 32000, 0, false, true, false, "bf16"},
  };
  return presets;
}

const LlmConfig* FindLlmPreset(const std::string& name) {
  for (const LlmConfig& c : LlmPresets())
    if (c.name == name) return &c;
  return nullptr;
}

std::optional<double> DtypeBytes(const std::string& d) {
  if (d == "fp16" || d == "bf16" || d == "float16" || d == "bfloat16") return 2.0;
  if (d == "fp32" || d == "float32") return 4.0;
  if (d == "int8") return 1.0;
  if (d == "int4") return 0.5;
  return std::nullopt;
}

double LlmModel::weight_bytes() const {
  const std::string& d = workload.dtype.empty() ? config.dtype : workload.dtype;
  return DtypeBytes(d).value_or(2.0);
}

std::string LlmModel::compute_dtype() const {
  auto norm = [](const std::string& d) -> std::string {
    return d == "float32" ? "fp32" : d == "float16" ? "fp16" : d == "bfloat16" ? "bf16" : d;
  };
  const std::string d = norm(workload.dtype.empty() ? config.dtype : workload.dtype);
  if (d == "fp32" || d == "fp16" || d == "bf16" || d == "int8") return d;
  return norm(config.dtype) == "bf16" ? "bf16" : "fp16";
}
double LlmModel::act_bytes() const {
  const std::string& d = workload.dtype.empty() ? config.dtype : workload.dtype;
  return DtypeBytes(d).value_or(2.0) >= 4 ? 4.0 : 2.0;
}

namespace {
double Norm(const LlmConfig& c) { return c.bias ? 2.0 * c.hidden : 1.0 * c.hidden; }
double Attn(const LlmConfig& c) {
  const double h = c.hidden, gd = static_cast<double>(c.kv_heads) * c.head_dim();
  return 2 * h * h + 2 * h * gd + (c.bias ? 2 * h + 2 * gd : 0);  // q, o; k, v
}
double Mlp(const LlmConfig& c) {
  const double h = c.hidden, f = c.ffn;
  return (c.gated ? 3 : 2) * h * f + (c.bias ? f + h : 0);
}
}  // namespace

double LayerParams(const LlmConfig& c) { return Attn(c) + Mlp(c) + 2 * Norm(c); }
double EmbeddingParams(const LlmConfig& c) {
  return static_cast<double>(c.vocab) * c.hidden + static_cast<double>(c.positions) * c.hidden;
}
double HeadParams(const LlmConfig& c) {
  return (c.tied ? 0 : static_cast<double>(c.vocab) * c.hidden) + Norm(c);
}
double TotalParams(const LlmConfig& c) {
  return EmbeddingParams(c) + c.layers * LayerParams(c) + HeadParams(c);
}

double KvBytesPerTokenLayer(const LlmModel& m) {
  return 2.0 * m.config.kv_heads * m.config.head_dim() * m.act_bytes();
}

double LayerFlopsPerToken(const LlmConfig& c, double context) {
  return 2 * LayerParams(c) + 4 * context * c.hidden;
}

double PhaseTokens(const LlmModel& m, LlmPhase phase) {
  const LlmWorkload& w = m.workload;
  return phase == LlmPhase::kDecode ? static_cast<double>(w.batch) : static_cast<double>(w.batch) * w.prompt;
}

double LayerFlops(const LlmModel& m, LlmPhase phase) {
  const LlmWorkload& w = m.workload;
  const double P = LayerParams(m.config), h = m.config.hidden;
  if (phase == LlmPhase::kDecode) return w.batch * LayerFlopsPerToken(m.config, double(w.prompt + w.gen));
  const double n = w.prompt;
  return w.batch * (2 * P * n + 2 * h * n * n);
}

double HeadFlops(const LlmModel& m, LlmPhase) {
  return m.workload.batch * 2.0 * m.config.vocab * m.config.hidden;
}

double HiddenBytes(const LlmModel& m, LlmPhase phase) {
  return PhaseTokens(m, phase) * m.config.hidden * m.act_bytes();
}

namespace {
// The activation workspace of the prefill (the peak: every prompt token).
double Workspace(const LlmModel& m) {
  const double tokens = static_cast<double>(m.workload.batch) * m.workload.prompt;
  return tokens * (4.0 * m.config.hidden + 2.0 * m.config.ffn) * m.act_bytes();
}
double KvLayerBytes(const LlmModel& m) {
  return KvBytesPerTokenLayer(m) * m.workload.batch * (m.workload.prompt + m.workload.gen);
}
}  // namespace

LlmNodeWork EmbeddingWork(const LlmModel& m, LlmPhase phase) {
  LlmNodeWork w;
  w.op = "Gather";
  w.param_bytes = EmbeddingParams(m.config) * m.weight_bytes();
  w.output_bytes = HiddenBytes(m, phase);
  w.memory_bytes = HiddenBytes(m, LlmPhase::kPrefill);
  return w;
}

LlmNodeWork LayerWork(const LlmModel& m, LlmPhase phase) {
  LlmNodeWork w;
  w.op = "MatMul";
  w.flops = LayerFlops(m, phase);
  w.param_bytes = LayerParams(m.config) * m.weight_bytes() + KvLayerBytes(m);
  w.output_bytes = HiddenBytes(m, phase);
  w.memory_bytes = Workspace(m);
  return w;
}

LlmNodeWork HeadWork(const LlmModel& m, LlmPhase phase) {
  LlmNodeWork w;
  w.op = "MatMul";
  w.flops = HeadFlops(m, phase);
  // A tied head keeps its own copy of the matrix when it sits on another
  // device than the embedding: counted here for memory, not in TotalParams.
  w.param_bytes = (HeadParams(m.config) + (m.config.tied ? double(m.config.vocab) * m.config.hidden : 0)) *
                  m.weight_bytes();
  w.output_bytes = double(m.workload.batch) * m.config.vocab * m.act_bytes();
  w.memory_bytes = w.output_bytes;
  return w;
}

namespace {
Node ToNode(std::string id, const LlmNodeWork& w) {
  Node n;
  n.id = std::move(id);
  n.op = w.op;
  n.flops = w.flops;
  n.param_bytes = w.param_bytes;
  n.output_bytes = w.output_bytes;
  n.memory_bytes = w.memory_bytes;
  return n;
}
LlmPhase One(LlmPhase p) { return p == LlmPhase::kBoth ? LlmPhase::kPrefill : p; }
}  // namespace

Graph BuildLlmGraph(const LlmModel& m, LlmPhase phase) {
  phase = One(phase);
  Graph g;
  g.name = m.config.name + "." + LlmPhaseName(phase);
  const double hb = HiddenBytes(m, phase);
  int prev = g.AddNode(ToNode("embed", EmbeddingWork(m, phase)));
  const LlmNodeWork layer = LayerWork(m, phase);
  for (long long k = 0; k < m.config.layers; ++k) {
    int v = g.AddNode(ToNode("layer" + std::to_string(k), layer));
    g.AddEdge(prev, v, hb);
    prev = v;
  }
  int head = g.AddNode(ToNode("head", HeadWork(m, phase)));
  g.AddEdge(prev, head, hb);
  if (auto err = g.Finalize()) throw std::logic_error("BuildLlmGraph: " + *err);
  return g;
}

Graph BuildLlmOperatorGraph(const LlmModel& m, LlmPhase phase) {
  phase = One(phase);
  const LlmConfig& c = m.config;
  Graph g;
  g.name = c.name + "." + LlmPhaseName(phase) + ".ops";
  const double hb = HiddenBytes(m, phase), T = PhaseTokens(m, phase), wb = m.weight_bytes();
  const LlmNodeWork layer = LayerWork(m, phase);
  const double attn_flops = layer.flops - 2 * LayerParams(c) * T;  // the 4sh / 2hn^2 term
  const double gd = double(c.kv_heads) * c.head_dim(), h = c.hidden;
  const double qkv = h * h + 2 * h * gd + (c.bias ? h + 2 * gd : 0);
  const double oproj = h * h + (c.bias ? h : 0);
  const double kv = layer.param_bytes - LayerParams(c) * wb;
  int prev = g.AddNode(ToNode("embed", EmbeddingWork(m, phase)));
  for (long long k = 0; k < c.layers; ++k) {
    const std::string p = "layer" + std::to_string(k) + ".";
    struct Op { const char* name; const char* op; double params, flops, extra_bytes, out; };
    const Op ops[] = {{"attn_norm", "LayerNormalization", Norm(c), 2 * Norm(c) * T, 0, hb},
                      {"qkv", "MatMul", qkv, 2 * qkv * T, 0, T * (h + 2 * gd) * m.act_bytes()},
                      {"attention", "MatMul", 0, attn_flops, kv, hb},
                      {"o_proj", "MatMul", oproj, 2 * oproj * T, 0, hb},
                      {"mlp_norm", "LayerNormalization", Norm(c), 2 * Norm(c) * T, 0, hb},
                      {"mlp", "MatMul", Mlp(c), 2 * Mlp(c) * T, 0, hb}};
    double in_bytes = hb;
    for (const Op& o : ops) {
      LlmNodeWork w;
      w.op = o.op;
      w.flops = o.flops;
      w.param_bytes = o.params * wb + o.extra_bytes;
      w.output_bytes = o.out;
      w.memory_bytes = layer.memory_bytes;
      int v = g.AddNode(ToNode(p + o.name, w));
      g.AddEdge(prev, v, in_bytes);
      in_bytes = o.out;
      prev = v;
    }
  }
  int head = g.AddNode(ToNode("head", HeadWork(m, phase)));
  g.AddEdge(prev, head, hb);
  if (auto err = g.Finalize()) throw std::logic_error("BuildLlmOperatorGraph: " + *err);
  return g;
}

}  // namespace diviml
