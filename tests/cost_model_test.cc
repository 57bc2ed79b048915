// Cost models: roofline arithmetic, the catalogue, filling missing times,
// and the profile reader (JSON and CSV) with its errors.
#include <gtest/gtest.h>

#include "io_test_util.h"

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "diviml/cost/cost_model.h"
#include "diviml/io/profile.h"
#include "diviml/core/problem.h"

namespace diviml {
namespace {

using testing_io::ErrorOf;

std::string WriteTemp(const std::string& name, const std::string& content) {
  auto dir = std::filesystem::temp_directory_path() / ("diviml_cost_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = dir / name;
  std::ofstream(path, std::ios::binary) << content;
  return path.string();
}

Device Dev(const std::string& name, const std::string& type, double peak, double bw) {
  Device d;
  d.name = name;
  d.type = type;
  d.peak_flops = peak;
  d.mem_bandwidth_Bps = bw;
  return d;
}

TEST(Roofline, ComputeAndMemoryBound) {
  RooflineOptions opt;
  opt.gpu[static_cast<int>(OpClass::kConv)] = {0.5, 0.25};
  opt.gpu_launch_s = 5e-6;
  const Device gpu = Dev("G", "gpu", 1e12, 1e11);
  // Compute: 1e9 / (0.5 * 1e12) = 2 ms; memory: 1e8 / (0.25 * 1e11) = 4 ms.
  EXPECT_DOUBLE_EQ(*RooflineTime(1e9, 1e8, OpClass::kConv, gpu, opt), 4e-3 + 5e-6);
  // Compute-bound when there are few bytes.
  EXPECT_DOUBLE_EQ(*RooflineTime(1e9, 1e6, OpClass::kConv, gpu, opt), 2e-3 + 5e-6);
  // CPU kind from the type: 1 us launch, CPU efficiencies.
  opt.cpu[static_cast<int>(OpClass::kGemm)] = {1.0, 1.0};
  const Device cpu = Dev("C", "cpu", 1e11, 1e10);
  EXPECT_DOUBLE_EQ(*RooflineTime(1e9, 0, OpClass::kGemm, cpu, opt), 1e-2 + 1e-6);
  // View ops: launch overhead only; io nodes: nothing.
  EXPECT_DOUBLE_EQ(*RooflineTime(0, 0, OpClass::kView, gpu, opt), 5e-6);
  EXPECT_DOUBLE_EQ(*RooflineTime(5, 5, OpClass::kIo, gpu, opt), 0);
  // Missing rates.
  EXPECT_FALSE(RooflineTime(1e9, 0, OpClass::kConv, Dev("X", "x", 0, 1e9), opt).has_value());
  EXPECT_FALSE(RooflineTime(0, 1e3, OpClass::kConv, Dev("X", "x", 1e9, 0), opt).has_value());
  EXPECT_FALSE(RooflineTime(0, 0, OpClass::kView, Dev("X", "x", 0, 0), opt).has_value());
}

TEST(Roofline, DeviceKinds) {
  RooflineOptions opt;
  EXPECT_EQ(KindOf(Dev("cpu0", "xeon-gold-6130", 1, 1), opt), DeviceKind::kCpu);
  EXPECT_EQ(KindOf(Dev("g", "a100", 1, 1), opt), DeviceKind::kGpu);
  EXPECT_EQ(KindOf(Dev("Host CPU", "P1", 1, 1), opt), DeviceKind::kCpu);
  EXPECT_EQ(KindOf(Dev("accel", "P2", 1, 1), opt), DeviceKind::kGpu);
  opt.kinds["P2"] = DeviceKind::kCpu;
  EXPECT_EQ(KindOf(Dev("accel", "P2", 1, 1), opt), DeviceKind::kCpu);
}

TEST(Roofline, OpClasses) {
  EXPECT_EQ(ClassifyOp("Conv"), OpClass::kConv);
  EXPECT_EQ(ClassifyOp("Relu+Conv+Relu"), OpClass::kConv);
  EXPECT_EQ(ClassifyOp("MatMul"), OpClass::kGemm);
  EXPECT_EQ(ClassifyOp("Reshape+Transpose"), OpClass::kDataMovement);
  EXPECT_EQ(ClassifyOp("Reshape"), OpClass::kView);
  EXPECT_EQ(ClassifyOp("SepConv"), OpClass::kConv);
  EXPECT_EQ(ClassifyOp("input"), OpClass::kIo);
  EXPECT_EQ(ClassifyOp("task"), OpClass::kOther);
  EXPECT_EQ(ClassifyOp("com.microsoft.Gelu"), OpClass::kElementwise);
  EXPECT_STREQ(OpClassName(ClassifyOp("Softmax")), "reduce");
}

TEST(Roofline, FillsOnlyMissingTimes) {
  Graph g;
  g.name = "g";
  Node in{"input:x", "input", {{"*", 0}}, 0, 0, 4e6, 0};
  Node conv{"conv", "Conv", {{"gpu", 1.0}}, 2e9, 1e6, 4e6, 0};  // GPU time measured by type
  Node relu{"relu", "Relu", {}, 1e6, 0, 4e6, 0};
  Node task{"task", "task", {}, 0, 0, 0, 0};  // nothing known
  g.AddNode(in);
  g.AddNode(conv);
  g.AddNode(relu);
  g.AddNode(task);
  g.AddEdge(0, 1, 4e6);
  g.AddEdge(1, 2, 4e6);
  g.AddEdge(2, 3, 0);
  Platform p;
  p.devices = {Dev("cpu0", "cpu", 1e11, 1e10), Dev("gpu0", "gpu", 1e13, 1e12), Dev("dsp", "dsp", 0, 0)};
  p.SetDefaultLink(Link{1e9, 1e-5});
  RooflineOptions opt;
  const int filled = FillRooflineTimes(g, p, opt);
  // conv: cpu0; relu: cpu0 and gpu0. Nothing for the device without rates
  // or for the node without information.
  EXPECT_EQ(filled, 3);
  EXPECT_EQ(g.nodes[1].time_s.size(), 2u);
  EXPECT_EQ(g.nodes[1].time_s.at("gpu"), 1.0);
  const double bytes = 4e6 + 1e6 + 4e6;  // in + params + out
  const auto& e = opt.cpu[static_cast<int>(OpClass::kConv)];
  EXPECT_DOUBLE_EQ(g.nodes[1].time_s.at("cpu0"),
                   std::max(2e9 / (1e11 * e.compute), bytes / (1e10 * e.memory)) + opt.cpu_launch_s);
  EXPECT_TRUE(g.nodes[3].time_s.empty());
  EXPECT_EQ(g.nodes[0].time_s.size(), 1u);

  // Without the DSP and with the task timed, the problem builds.
  g.nodes[3].time_s["*"] = 0.5;
  p.devices.pop_back();
  Platform p2;
  p2.devices = p.devices;
  p2.SetDefaultLink(Link{1e9, 1e-5});
  std::string err;
  Problem pr = Problem::Build(g, p2, &err);
  EXPECT_EQ(err, "");
}

TEST(Catalogue, RequiredPartsWithSources) {
  for (const char* key : {"xeon-gold-6130", "epyc-7763", "host", "v100", "a100", "h100", "t4", "l4",
                          "rtx-2080-ti", "rtx-3090", "gtx-1080-ti"}) {
    const CatalogueDevice* d = FindCatalogueDevice(key);
    ASSERT_NE(d, nullptr) << key;
    EXPECT_GT(d->peak_flops, 1e10) << key;
    EXPECT_GT(d->mem_bandwidth_Bps, 1e9) << key;
    EXPECT_GT(d->memory_bytes, 1e9) << key;
    EXPECT_FALSE(d->source.empty()) << key;
  }
  EXPECT_EQ(FindCatalogueDevice("A100")->peak_flops, 19.5e12);
  EXPECT_EQ(FindCatalogueDevice("RTX_2080_Ti")->kind, DeviceKind::kGpu);
  EXPECT_EQ(FindCatalogueDevice("xeon-gold-6130")->kind, DeviceKind::kCpu);
  EXPECT_EQ(FindCatalogueDevice("nope"), nullptr);
  for (const char* key : {"pcie3", "pcie4", "pcie5", "nvlink2", "nvlink3", "nvlink4", "10gbe", "100gbe",
                          "ib-hdr", "ib-ndr"}) {
    const LinkPreset* l = FindLinkPreset(key);
    ASSERT_NE(l, nullptr) << key;
    EXPECT_GT(l->bandwidth_Bps, 1e8) << key;
    EXPECT_GT(l->latency_s, 0) << key;
    EXPECT_FALSE(l->source.empty()) << key;
  }
  EXPECT_NEAR(FindLinkPreset("pcie3")->bandwidth_Bps, 15.75e9, 0.01e9);
  Device d = MakeCatalogueDevice(*FindCatalogueDevice("t4"), "gpu1", "s0");
  EXPECT_EQ(d.type, "t4");
  EXPECT_EQ(d.server, "s0");
  EXPECT_EQ(d.peak_flops, 8.1e12);
  Link l = MakeLink(*FindLinkPreset("100gbe"));
  EXPECT_EQ(l.bandwidth_Bps, 12.5e9);
}

Graph TwoNodes() {
  Graph g;
  g.name = "two";
  g.AddNode(Node{"conv1", "Conv", {{"gpu", 9.0}}, 0, 0, 0, 0});
  g.AddNode(Node{"relu1", "Relu", {}, 0, 0, 0, 0});
  g.AddEdge(0, 1, 8);
  g.Finalize();
  return g;
}

TEST(Profile, JsonSingleDevice) {
  Profile p = ParseProfileJson(
      R"({"format": "diviml-profile-v1", "device": "cpu", "unit": "s", "model": "x",
          "times": {"conv1": 0.002, "relu1": 1e-5}})",
      "p.json");
  ASSERT_EQ(p.entries.size(), 2u);
  Graph g = TwoNodes();
  EXPECT_EQ(ApplyProfile(g, p), 2);
  EXPECT_EQ(g.nodes[0].time_s.at("cpu"), 0.002);
  EXPECT_EQ(g.nodes[0].time_s.at("gpu"), 9.0);
  EXPECT_EQ(g.nodes[1].time_s.at("cpu"), 1e-5);
}

TEST(Profile, JsonPerNodeDevicesAndUnits) {
  Profile p = ParseProfileJson(
      R"({"format": "diviml-profile-v1", "unit": "ms",
          "times": {"conv1": {"gpu": 2, "cpu0": 5}}})",
      "p.json");
  Graph g = TwoNodes();
  ApplyProfile(g, p);
  EXPECT_DOUBLE_EQ(g.nodes[0].time_s.at("gpu"), 2e-3);  // profiles override
  EXPECT_DOUBLE_EQ(g.nodes[0].time_s.at("cpu0"), 5e-3);
}

TEST(Profile, JsonErrors) {
  auto err = [](const std::string& text) { return ErrorOf([&] { ParseProfileJson(text, "p.json"); }); };
  EXPECT_EQ(err(R"({"format": "other", "device": "cpu", "times": {}})"),
            "p.json: unknown format \"other\" (expected \"diviml-profile-v1\")");
  EXPECT_EQ(err(R"({"device": "cpu", "times": {}})").rfind("p.json: missing \"format\"", 0), 0u);
  EXPECT_EQ(err(R"({"format": "diviml-profile-v1", "device": "cpu", "times": {"a": -1}})"),
            "p.json: invalid time (times.\"a\"): must be a finite number >= 0");
  EXPECT_EQ(err(R"({"format": "diviml-profile-v1", "device": "cpu", "times": {"a": "1"}})")
                .rfind("p.json: times.\"a\" must be a number", 0),
            0u);
  EXPECT_EQ(err(R"({"format": "diviml-profile-v1", "times": {"a": 1}})").rfind("p.json: times.\"a\" is a number but", 0),
            0u);
  EXPECT_EQ(err(R"({"format": "diviml-profile-v1", "device": "cpu", "unit": "min", "times": {}})"),
            "p.json: unknown time unit 'min' (\"unit\"); use s, ms or us");
  EXPECT_EQ(err(R"({"format": "diviml-profile-v1", "device": "cpu"})"), "p.json: missing object \"times\"");
  EXPECT_EQ(err("{not json").rfind("p.json: invalid JSON", 0), 0u);
}

TEST(Profile, Csv) {
  Profile p = ParseProfileCsv(
      "# measured on this machine\n"
      "device,time_s,node\n"
      "cpu,0.5,conv1\n"
      "\n"
      "\"gpu\",0.25,\"relu1\"\r\n",
      "p.csv");
  ASSERT_EQ(p.entries.size(), 2u);
  EXPECT_EQ(p.entries[0].node, "conv1");
  EXPECT_EQ(p.entries[0].line, 3);
  EXPECT_EQ(p.entries[1].device, "gpu");
  Graph g = TwoNodes();
  ApplyProfile(g, p);
  EXPECT_EQ(g.nodes[0].time_s.at("cpu"), 0.5);
  EXPECT_EQ(g.nodes[1].time_s.at("gpu"), 0.25);

  Profile ms = ParseProfileCsv("node,device,time_ms\nconv1,cpu,3\n", "m.csv");
  EXPECT_DOUBLE_EQ(ms.entries[0].time_s, 3e-3);
}

TEST(Profile, CsvErrors) {
  auto err = [](const std::string& text) { return ErrorOf([&] { ParseProfileCsv(text, "p.csv"); }); };
  EXPECT_EQ(err("node,time_s\nconv1,1\n"),
            "p.csv:1: header must name the columns node, device and time_s (got 'node,time_s')");
  EXPECT_EQ(err("node,device,time_s\nconv1,cpu,fast\n"), "p.csv:2: time 'fast' is not a number");
  EXPECT_EQ(err("node,device,time_s\nconv1,cpu\n"), "p.csv:2: expected 3 fields, got 2");
  EXPECT_EQ(err("node,device,time_s\nconv1,cpu,-2\n"),
            "p.csv:2: invalid time (node 'conv1'): must be a finite number >= 0");
  EXPECT_EQ(err(""), "p.csv: empty profile: no header line node,device,time_s");
  EXPECT_EQ(err("node,device,time_s\n\"conv1,cpu,1\n"), "p.csv:2: unterminated quoted field");
}

TEST(Profile, ApplyErrors) {
  Graph g = TwoNodes();
  Profile p = ParseProfileCsv("node,device,time_s\nconv1,cpu,1\nghost,cpu,1\n", "p.csv");
  EXPECT_EQ(ErrorOf([&] { ApplyProfile(g, p); }), "p.csv:3: node 'ghost' is not in the graph 'two'");
  Profile d = ParseProfileCsv("node,device,time_s\nconv1,cpu,1\nconv1,cpu,2\n", "d.csv");
  EXPECT_EQ(ErrorOf([&] { ApplyProfile(g, d); }), "d.csv:3: node 'conv1' has two times for device 'cpu'");
  Profile j = ParseProfileJson(R"({"format": "diviml-profile-v1", "device": "cpu", "times": {"nope": 1}})", "j.json");
  EXPECT_EQ(ErrorOf([&] { ApplyProfile(g, j); }), "j.json: node 'nope' is not in the graph 'two'");
}

TEST(Profile, ReadByExtension) {
  const std::string csv = WriteTemp("prof.csv", "node,device,time_s\nconv1,cpu,0.1\n");
  const std::string json =
      WriteTemp("prof.json", R"({"format":"diviml-profile-v1","device":"cpu","unit":"s","times":{"relu1":0.2}})");
  EXPECT_EQ(ReadProfile(csv).entries.at(0).time_s, 0.1);
  EXPECT_EQ(ReadProfile(json).entries.at(0).node, "relu1");
  EXPECT_EQ(ReadProfile(json).source, json);
  EXPECT_EQ(ErrorOf([] { ReadProfile("/nonexistent/p.json"); }), "/nonexistent/p.json: cannot read file: No such file or directory (open)");
}

// The extension is matched case-insensitively, as LoadGraph does (before
// the fix only ".csv" and ".CSV" were CSV; "prof.Csv" was read as JSON).
TEST(Profile, ExtensionCaseInsensitive) {
  const std::string mixed = WriteTemp("prof.Csv", "node,device,time_s\nconv1,cpu,0.25\n");
  EXPECT_EQ(ReadProfile(mixed).entries.at(0).time_s, 0.25);
}

}  // namespace
}  // namespace diviml
