// LLM exports (src/export/llm_export.cc) parsed back, and `diviml solve`
// with the LLM planners end to end through RunSolve: the worked example,
// bad input as one line with exit 1 and nothing written.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <numeric>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "diviml/cli/cli.h"

namespace diviml {
namespace {

namespace fs = std::filesystem;

struct CliOut {
  int code = 0;
  std::string out, err;
};

CliOut Solve(const std::string& graph, const std::string& platform, const std::string& solver,
          const std::function<void(SolveArgs*)>& edit = {}) {
  SolveArgs a;
  a.graph = graph;
  a.platform = platform;
  a.solver = solver;
  if (edit) edit(&a);
  std::ostringstream out, err;
  CliOut r;
  r.code = RunSolve(a, out, err);
  r.out = out.str(), r.err = err.str();
  return r;
}

std::vector<long long> Numbers(const std::string& list) {
  std::vector<long long> v;
  std::stringstream in(list);
  std::string x;
  while (std::getline(in, x, ',')) v.push_back(std::stoll(x));
  return v;
}

std::string Match(const std::string& text, const std::string& pattern) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex(pattern))) return "";
  return m[1];
}

TEST(LlmExport, VllmPartitionMatchesPipelineSize) {
  for (const char* model : {"llama-2-13b", "llama-2-70b", "llama-3-8b"})
    for (const char* tp : {"auto", "1", "2"}) {
      const CliOut r = Solve(std::string("llm:") + model + ",batch=8,prompt=512,gen=128", "cluster:mixed", "llm",
                          [&](SolveArgs* a) {
                            a->export_format = "vllm";
                            a->target = "vllm";
                            a->tensor_parallel = tp;
                          });
      if (std::string(model) == "llama-2-70b" && std::string(tp) == "2") {
        // TP 2 on every stage: only the two 2 x L4 servers qualify (96 GB for 140 GB).
        EXPECT_EQ(r.code, 1);
        EXPECT_NE(r.err.find("missing"), std::string::npos) << r.err;
        continue;
      }
      ASSERT_EQ(r.code, 0) << r.err;
      const std::vector<long long> part = Numbers(Match(r.out, "VLLM_PP_LAYER_PARTITION=\"([0-9,]+)\""));
      const std::string pp = Match(r.out, "--pipeline-parallel-size ([0-9]+)");
      const std::string t = Match(r.out, "--tensor-parallel-size ([0-9]+)");
      ASSERT_FALSE(part.empty()) << r.out;
      EXPECT_EQ(static_cast<long long>(part.size()), std::stoll(pp)) << r.out;
      const long long L = std::string(model).find("13b") != std::string::npos ? 40
                          : std::string(model).find("70b") != std::string::npos ? 80 : 32;
      EXPECT_EQ(std::accumulate(part.begin(), part.end(), 0LL), L) << r.out;
      if (std::string(tp) != "auto") EXPECT_EQ(t, tp) << r.out;
      for (long long x : part) EXPECT_GT(x, 0);
      // One ray line per server when there are several.
      const std::regex ray("ray start");
      const auto n = std::distance(std::sregex_iterator(r.out.begin(), r.out.end(), ray), std::sregex_iterator());
      if (n > 0) {
        EXPECT_NE(r.out.find("--distributed-executor-backend ray"), std::string::npos);
        // One head, n - 1 workers joining it, on distinct servers.
        const std::string head = Match(r.out, "ray start --head --port=6379  # on ([a-z0-9]+)");
        ASSERT_FALSE(head.empty()) << r.out;
        const std::regex worker("ray start --address=([a-z0-9]+):6379  # on ([a-z0-9]+)");
        std::set<std::string> nodes = {head};
        for (auto it = std::sregex_iterator(r.out.begin(), r.out.end(), worker); it != std::sregex_iterator(); ++it) {
          EXPECT_EQ((*it)[1], head);
          EXPECT_TRUE(nodes.insert((*it)[2]).second) << r.out;
        }
        EXPECT_EQ(static_cast<long long>(nodes.size()), n);
        EXPECT_LE(n, std::stoll(pp));
      } else {
        EXPECT_EQ(r.out.find("--distributed-executor-backend"), std::string::npos) << r.out;
      }
    }
}

TEST(LlmExport, LlamaCppCountsSumToLayersPlusOneInDeviceOrder) {
  // paper:1: one server, 70B needs its CPU: those layers come first, not offloaded.
  for (const char* platform : {"cluster:paper:4", "cluster:mixed", "cluster:paper:1"}) {
    const CliOut r = Solve("llm:llama-2-70b,batch=1,prompt=256,gen=64", platform, "llm", [](SolveArgs* a) {
      a->export_format = "llamacpp";
      a->target = "llamacpp";
    });
    ASSERT_EQ(r.code, 0) << r.err;
    const std::vector<long long> split = Numbers(Match(r.out, "--tensor-split ([0-9,]+)"));
    const std::string devices = Match(r.out, "--n-gpu-layers [0-9]+ --device ([^ \n]+)");
    const long long ngl = std::stoll(Match(r.out, "--n-gpu-layers ([0-9]+)"));
    // Offloaded layers (split over --device) + the main host's CPU layers = L + 1.
    EXPECT_EQ(std::accumulate(split.begin(), split.end(), 0LL), ngl) << r.out;
    EXPECT_LE(ngl, 81);
    if (ngl < 81) EXPECT_NE(r.out.find("(not offloaded)"), std::string::npos) << r.out;
    if (std::string(platform) == "cluster:paper:1") EXPECT_LT(ngl, 81) << r.out;
    EXPECT_EQ(static_cast<size_t>(std::count(devices.begin(), devices.end(), ',') + 1), split.size()) << r.out;
    // Device names llama.cpp knows: CUDA<i> on the main host, RPC<i> in --rpc order.
    std::vector<std::string> names;
    {
      std::stringstream in(devices);
      for (std::string x; std::getline(in, x, ',');) names.push_back(x);
    }
    const std::string rpc = Match(r.out, "--rpc ([^ \n]+)");
    int remote = 0;
    for (const std::string& n : names) {
      EXPECT_TRUE(std::regex_match(n, std::regex("CUDA[0-9]+|RPC[0-9]+"))) << n << "\n" << r.out;
      if (n.rfind("RPC", 0) == 0) EXPECT_EQ(n, "RPC" + std::to_string(remote++)) << r.out;
    }
    if (remote > 0) {
      EXPECT_EQ(std::count(rpc.begin(), rpc.end(), ',') + 1, remote) << r.out;
      const std::regex server("rpc-server -H 0\\.0\\.0\\.0 -p [0-9]+ -d (CUDA[0-9]+|CPU)  # on ");
      EXPECT_EQ(std::distance(std::sregex_iterator(r.out.begin(), r.out.end(), server), std::sregex_iterator()), remote)
          << r.out;
    } else {
      EXPECT_TRUE(rpc.empty()) << r.out;
    }
  }
}

TEST(LlmExport, TorchSplitSpecAndJson) {
  const CliOut r = Solve("llm:llama-2-70b,batch=4", "cluster:paper:8", "llm", [](SolveArgs* a) {
    a->export_format = "torch-pipelining";
    a->target = "torch-pipelining";
  });
  ASSERT_EQ(r.code, 0) << r.err;
  const std::regex split("\"model\\.layers\\.([0-9]+)\": SplitPoint\\.BEGINNING");
  const auto splits = std::distance(std::sregex_iterator(r.out.begin(), r.out.end(), split), std::sregex_iterator());
  const std::regex stage("\\{\"stage\": ");
  const auto stages = std::distance(std::sregex_iterator(r.out.begin(), r.out.end(), stage), std::sregex_iterator());
  EXPECT_GE(stages, 2);
  EXPECT_EQ(splits, stages - 1) << r.out;
  long long prev = 0;
  for (auto it = std::sregex_iterator(r.out.begin(), r.out.end(), split); it != std::sregex_iterator(); ++it) {
    const long long k = std::stoll((*it)[1]);
    EXPECT_GT(k, prev) << r.out;  // boundaries strictly inside 0..L, increasing
    EXPECT_LT(k, 80) << r.out;
    prev = k;
  }

  const CliOut j = Solve("llm:llama-2-13b,batch=8", "cluster:mixed", "llm", [](SolveArgs* a) {
    a->json = true;
    a->objective = "throughput";
  });
  ASSERT_EQ(j.code, 0) << j.err;
  const nlohmann::json o = nlohmann::json::parse(j.out);
  EXPECT_EQ(o["format"], "diviml-llm-plan-v1");
  long long layers = 0;
  for (const auto& s : o["stages"]) layers += s["layers"][1].get<long long>() - s["layers"][0].get<long long>();
  EXPECT_EQ(layers, 40);
  EXPECT_GT(o["tokens_per_s"].get<double>(), 0);
  EXPECT_LE(o["tokens_per_s"].get<double>(), o["tokens_per_s_upper_bound"].get<double>() * (1 + 1e-9));
  EXPECT_GT(o["subproblems"]["reused"].get<long long>(), 0);
}

TEST(LlmExport, UnexpressiblePlansAndBadInputFailInOneLine) {
  const std::string out = (fs::temp_directory_path() / ("diviml_llm_" + std::to_string(::getpid()) + ".sh")).string();
  // An unrestricted plan that puts layers on a CPU is not exported as a vLLM command.
  const CliOut cpu = Solve("llm:llama-2-70b,batch=1", "cluster:paper:1", "llm", [&](SolveArgs* a) {
    a->export_format = "vllm";
    a->out = out;
  });
  EXPECT_EQ(cpu.code, 1);
  EXPECT_NE(cpu.err.find("not a GPU"), std::string::npos) << cpu.err;
  EXPECT_FALSE(fs::exists(out));
  const std::pair<std::string, std::string> bad[] = {
      {"llm:llama-9b", "unknown model"},
      {"llm:llama-2-7b,batch=0", "batch must be a positive integer"},
      {"llm:llama-2-70b,batch=64,prompt=4096,gen=4096", "missing"},
  };
  for (const auto& [graph, what] : bad) {
    const CliOut r = Solve(graph, "cluster:paper:2", "llm", [&](SolveArgs* a) {
      a->target = "vllm";
      a->out = out;
    });
    EXPECT_EQ(r.code, 1) << graph;
    EXPECT_NE(r.err.find(what), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(fs::exists(out));
  }
  EXPECT_EQ(Solve("zoo:squeezenet", "cluster:paper:2", "llm").code, 1);
  EXPECT_EQ(Solve("llm:gpt2", "cluster:paper:2", "heft", [](SolveArgs* a) { a->target = "vllm"; }).code, 1);
  const CliOut unknown = Solve("llm:gpt2", "cluster:paper:2", "llm", [](SolveArgs* a) { a->export_format = "onnx"; });
  EXPECT_EQ(unknown.code, 1);
}

TEST(LlmExport, InfoPrintsParametersKvAndFlops) {
  CommonArgs a;
  a.graph = "llm:llama-2-70b,batch=8,prompt=512,gen=128";
  a.json = true;
  std::ostringstream out, err;
  ASSERT_EQ(RunInfo(a, out, err), 0) << err.str();
  const nlohmann::json j = nlohmann::json::parse(out.str());
  EXPECT_LT(std::abs(j["parameters"].get<double>() / 68.98e9 - 1), 0.01);
  EXPECT_DOUBLE_EQ(j["kv_bytes_per_token"].get<double>(), 2.0 * 80 * 8 * 128 * 2);
  EXPECT_DOUBLE_EQ(j["kv_bytes_batch"].get<double>(), 2.0 * 80 * 8 * 128 * 2 * 8 * 640);
  EXPECT_GT(j["decode_flops_per_token"].get<double>(), 2 * 68e9);
  a.graph = "llm:nosuch";
  std::ostringstream out2, err2;
  EXPECT_EQ(RunInfo(a, out2, err2), 1);
  EXPECT_NE(err2.str().find("unknown model"), std::string::npos);
}

TEST(LlmExport, WorkedExampleOfTheReadme) {
  const CliOut r = Solve("llm:llama-2-13b,batch=8,prompt=512,gen=128", "cluster:mixed", "llm",
                      [](SolveArgs* a) { a->export_format = "vllm"; });
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("vllm serve meta-llama/Llama-2-13b-hf"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("sub-problems:"), std::string::npos);
  EXPECT_NE(r.out.find("lower bound"), std::string::npos);
}

}  // namespace
}  // namespace diviml
