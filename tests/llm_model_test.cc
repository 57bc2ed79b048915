// LLM presets and formulas (include/diviml/gen/llm.h), the llm: spec and
// the Hugging Face config.json reader (include/diviml/io/llm_spec.h).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "diviml/gen/llm.h"
#include "diviml/io/io.h"
#include "diviml/io/llm_spec.h"
#include "diviml/platform/cluster.h"

namespace diviml {
namespace {

namespace fs = std::filesystem;

// Published parameter counts (model cards / safetensors metadata).
TEST(LlmModel, PresetParameterCountsWithinOnePercentOfPublished) {
  const std::pair<const char*, double> published[] = {
      {"gpt2", 124.44e6},        {"gpt2-xl", 1557.6e6},     {"llama-2-7b", 6.74e9}, {"llama-2-13b", 13.02e9},
      {"llama-2-70b", 68.98e9},  {"llama-3-8b", 8.03e9},    {"llama-3-70b", 70.55e9}, {"mistral-7b", 7.24e9}};
  ASSERT_EQ(LlmPresets().size(), std::size(published));
  for (const auto& [name, count] : published) {
    const LlmConfig* c = FindLlmPreset(name);
    ASSERT_NE(c, nullptr) << name;
    EXPECT_LT(std::abs(TotalParams(*c) / count - 1), 0.01) << name << " " << TotalParams(*c);
  }
}

TEST(LlmModel, KvBytesPerTokenIsTwoLayersKvHeadsHeadDimBytes) {
  for (const LlmConfig& c : LlmPresets()) {
    LlmModel m{c, {}};
    const double b = m.act_bytes();
    EXPECT_DOUBLE_EQ(KvBytesPerTokenLayer(m) * c.layers, 2.0 * c.layers * c.kv_heads * c.head_dim() * b) << c.name;
  }
  LlmModel m{*FindLlmPreset("llama-2-70b"), {}};
  EXPECT_DOUBLE_EQ(KvBytesPerTokenLayer(m), 2.0 * 8 * 128 * 2);  // GQA: 8 KV heads of 128
  m.workload.dtype = "int4";                                      // quantised weights keep fp16 KV
  EXPECT_DOUBLE_EQ(KvBytesPerTokenLayer(m), 2.0 * 8 * 128 * 2);
  EXPECT_DOUBLE_EQ(m.weight_bytes(), 0.5);
}

TEST(LlmModel, FlopsFollowTheFormulas) {
  LlmModel m{*FindLlmPreset("llama-2-7b"), {}};
  m.workload.batch = 2, m.workload.prompt = 100, m.workload.gen = 10;
  const double P = LayerParams(m.config), h = 4096;
  EXPECT_DOUBLE_EQ(LayerFlops(m, LlmPhase::kPrefill), 2 * (2 * P * 100 + 2 * h * 100 * 100));
  EXPECT_DOUBLE_EQ(LayerFlops(m, LlmPhase::kDecode), 2 * (2 * P + 4 * 110 * h));
  // The layer chain carries the same totals as the operator chain.
  const Graph a = BuildLlmGraph(m, LlmPhase::kPrefill), b = BuildLlmOperatorGraph(m, LlmPhase::kPrefill);
  EXPECT_EQ(a.num_nodes(), 32 + 2);
  EXPECT_EQ(b.num_nodes(), 32 * 6 + 2);
  double fa = 0, fb = 0, pa = 0, pb = 0;
  for (const Node& n : a.nodes) fa += n.flops, pa += n.param_bytes;
  for (const Node& n : b.nodes) fb += n.flops, pb += n.param_bytes;
  EXPECT_NEAR(fa / fb, 1, 1e-9);
  EXPECT_NEAR(pa / pb, 1, 1e-9);
}

TEST(LlmSpec, KeysAndGraph) {
  LlmSpec s = ParseLlmSpec("llm:llama-2-13b,batch=8,prompt=512,gen=128,phase=decode,dtype=int8");
  EXPECT_EQ(s.model.config.layers, 40);
  EXPECT_EQ(s.model.workload.batch, 8);
  EXPECT_EQ(s.model.workload.phase, LlmPhase::kDecode);
  EXPECT_DOUBLE_EQ(s.model.weight_bytes(), 1);
  const Graph g = LoadGraph("llm:gpt2,granularity=operator");
  EXPECT_EQ(g.num_nodes(), 12 * 6 + 2);
}

TEST(LlmSpec, BadInputIsOneLine) {
  auto message = [](const std::string& spec) {
    try {
      ParseLlmSpec(spec);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("llm:llama-9").find("unknown model 'llama-9'"), std::string::npos);
  EXPECT_NE(message("llm:gpt2,batch=0").find("batch must be a positive integer"), std::string::npos);
  EXPECT_NE(message("llm:gpt2,batch=-3").find("batch must be a positive integer"), std::string::npos);
  EXPECT_NE(message("llm:gpt2,phase=train").find("phase must be"), std::string::npos);
  EXPECT_NE(message("llm:gpt2,seq=3").find("unknown key 'seq'"), std::string::npos);
  EXPECT_NE(message("llm:/nonexistent/config.json").find("/nonexistent/config.json"), std::string::npos);
  for (const char* s : {"llm:llama-9", "llm:gpt2,batch=0", "llm:gpt2,seq=3"})
    EXPECT_EQ(message(s).find('\n'), std::string::npos) << s;
}

std::string WriteTemp(const std::string& name, const std::string& text) {
  const fs::path p = fs::temp_directory_path() / ("diviml_llm_" + std::to_string(::getpid()) + "_" + name);
  std::ofstream(p) << text;
  return p.string();
}

TEST(LlmSpec, HuggingFaceConfigMatchesThePreset) {
  const std::string llama = WriteTemp("llama.config.json", R"({"architectures": ["LlamaForCausalLM"],
    "hidden_size": 4096, "intermediate_size": 11008, "num_attention_heads": 32, "num_hidden_layers": 32,
    "num_key_value_heads": 32, "vocab_size": 32000, "tie_word_embeddings": false, "torch_dtype": "float16",
    "model_type": "llama"})");
  const LlmSpec s = ParseLlmSpec("llm:" + llama + ",batch=4");
  EXPECT_DOUBLE_EQ(TotalParams(s.model.config), TotalParams(*FindLlmPreset("llama-2-7b")));
  EXPECT_EQ(s.model.workload.batch, 4);
  const std::string gpt2 = WriteTemp("gpt2.config.json", R"({"model_type": "gpt2", "n_embd": 768, "n_layer": 12,
    "n_head": 12, "n_inner": null, "n_positions": 1024, "vocab_size": 50257})");
  EXPECT_DOUBLE_EQ(TotalParams(ParseLlmSpec("llm:" + gpt2).model.config), TotalParams(*FindLlmPreset("gpt2")));
  const std::string missing = WriteTemp("missing.config.json", R"({"hidden_size": 4096, "num_hidden_layers": 32,
    "num_attention_heads": 32, "intermediate_size": 11008})");
  try {
    ParseLlmSpec("llm:" + missing);
    FAIL() << "missing vocab_size accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("missing field 'vocab_size'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
  }
  const std::string negative = WriteTemp("neg.config.json", R"({"hidden_size": -1, "num_hidden_layers": 32,
    "num_attention_heads": 32, "intermediate_size": 11008, "vocab_size": 10})");
  EXPECT_THROW(ParseLlmSpec("llm:" + negative), InputError);
  for (const std::string& p : {llama, gpt2, missing, negative}) fs::remove(p);
}

TEST(LlmCluster, PresetsAndServerTypes) {
  const Platform paper = LoadPlatform("cluster:paper:16");
  EXPECT_EQ(paper.num_devices(), 48);
  ClusterView v = ViewCluster(paper);
  EXPECT_EQ(v.servers.size(), 16u);
  EXPECT_EQ(v.num_types(), 1);
  const Platform mixed = LoadPlatform("cluster:mixed");
  EXPECT_EQ(mixed.num_devices(), 18);
  v = ViewCluster(mixed);
  ASSERT_EQ(v.num_types(), 2);
  EXPECT_EQ(v.type_servers[0].size(), 4u);
  EXPECT_EQ(v.type_servers[1].size(), 2u);
  EXPECT_EQ(LoadPlatform("cluster:3").num_devices(), 9);  // cluster:S still works
  EXPECT_THROW(LoadPlatform("cluster:paper:0"), InputError);
  EXPECT_THROW(LoadPlatform("cluster:paper:x"), InputError);
}

}  // namespace
}  // namespace diviml
