// ONNX importer: flops formulas on hand-built operators, tensor bytes on
// edges, parameters, host nodes, errors, coarsening, and (when the zoo files
// exist) total flops against reference counts.
#include <gtest/gtest.h>

#include "io_test_util.h"

#include <onnx/onnx_pb.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "diviml/cost/cost_model.h"
#include "diviml/io/profile.h"
#include "diviml/io/onnx_import.h"

namespace diviml {
namespace {

using Dims = std::vector<int64_t>;

// Builds a small ModelProto in code. Initializers carry dims only (no data),
// like the zoo files.
class ModelBuilder {
 public:
  explicit ModelBuilder(int opset = 13) {
    model_.set_ir_version(8);
    model_.set_producer_name("diviml-test");
    auto* op = model_.add_opset_import();
    op->set_domain("");
    op->set_version(opset);
    graph_ = model_.mutable_graph();
    graph_->set_name("test");
  }
  void Input(const std::string& name, const Dims& dims, int elem = onnx::TensorProto::FLOAT) {
    auto* vi = graph_->add_input();
    vi->set_name(name);
    auto* tt = vi->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(elem);
    auto* shape = tt->mutable_shape();
    for (int64_t d : dims) {
      if (d < 0)
        shape->add_dim()->set_dim_param("N");
      else
        shape->add_dim()->set_dim_value(d);
    }
  }
  void Output(const std::string& name, int elem = onnx::TensorProto::FLOAT) {
    auto* vi = graph_->add_output();
    vi->set_name(name);
    vi->mutable_type()->mutable_tensor_type()->set_elem_type(elem);
  }
  void Init(const std::string& name, const Dims& dims, int elem = onnx::TensorProto::FLOAT) {
    auto* t = graph_->add_initializer();
    t->set_name(name);
    t->set_data_type(elem);
    for (int64_t d : dims) t->add_dims(d);
  }
  // An int64 initializer with data (shapes for Reshape and the like).
  void InitInts(const std::string& name, const std::vector<int64_t>& values) {
    auto* t = graph_->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::INT64);
    t->add_dims(static_cast<int64_t>(values.size()));
    for (int64_t v : values) t->add_int64_data(v);
  }
  onnx::NodeProto* Node(const std::string& op, const std::vector<std::string>& in,
                        const std::vector<std::string>& out, const std::string& name = "") {
    auto* n = graph_->add_node();
    n->set_op_type(op);
    if (!name.empty()) n->set_name(name);
    for (const auto& s : in) n->add_input(s);
    for (const auto& s : out) n->add_output(s);
    return n;
  }
  static void Ints(onnx::NodeProto* n, const std::string& name, const std::vector<int64_t>& v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t x : v) a->add_ints(x);
  }
  static void Int(onnx::NodeProto* n, const std::string& name, int64_t v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
  }
  onnx::GraphProto* graph() { return graph_; }
  std::string Bytes() const { return model_.SerializeAsString(); }
  Graph Import(const OnnxImportOptions& options = {}, std::vector<std::string>* warnings = nullptr) const {
    std::vector<std::string> local;
    return ImportOnnxBytes(Bytes(), "test.onnx", options, warnings ? warnings : &local);
  }

 private:
  onnx::ModelProto model_;
  onnx::GraphProto* graph_;
};

const Node& NodeById(const Graph& g, const std::string& id) {
  int v = g.FindNode(id);
  EXPECT_GE(v, 0) << "no node " << id;
  static Node none;
  return v >= 0 ? g.nodes[v] : none;
}

double EdgeBytes(const Graph& g, const std::string& from, const std::string& to) {
  int u = g.FindNode(from), v = g.FindNode(to);
  for (const Edge& e : g.edges)
    if (e.from == u && e.to == v) return e.bytes;
  ADD_FAILURE() << "no edge " << from << " -> " << to;
  return -1;
}

using testing_io::ErrorOf;

std::filesystem::path TempPath(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("diviml_onnx_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

TEST(OnnxFlops, ConvWithGroupsDilationStridesAndBias) {
  ModelBuilder b;
  b.Input("x", {1, 8, 16, 16});
  b.Init("w", {16, 4, 3, 3});
  b.Init("b", {16});
  auto* conv = b.Node("Conv", {"x", "w", "b"}, {"y"}, "conv");
  ModelBuilder::Int(conv, "group", 2);
  ModelBuilder::Ints(conv, "dilations", {2, 2});
  ModelBuilder::Ints(conv, "strides", {2, 2});
  b.Output("y");
  Graph g = b.Import();
  // Effective kernel 5, no padding, stride 2: (16 - 5) / 2 + 1 = 6.
  const double out = 1 * 16 * 6 * 6;
  const Node& n = NodeById(g, "conv");
  EXPECT_EQ(n.op, "Conv");
  EXPECT_DOUBLE_EQ(n.flops, 2 * out * (8 / 2) * 9 + out);
  EXPECT_DOUBLE_EQ(n.param_bytes, (16 * 4 * 9 + 16) * 4.0);
  EXPECT_DOUBLE_EQ(n.output_bytes, out * 4);
  EXPECT_DOUBLE_EQ(EdgeBytes(g, "input:x", "conv"), 8 * 16 * 16 * 4.0);
  EXPECT_DOUBLE_EQ(EdgeBytes(g, "conv", "output:y"), out * 4);
}

TEST(OnnxFlops, DepthwiseConvWithPadding) {
  ModelBuilder b;
  b.Input("x", {2, 32, 14, 14});
  b.Init("w", {32, 1, 3, 3});
  auto* conv = b.Node("Conv", {"x", "w"}, {"y"}, "dw");
  ModelBuilder::Int(conv, "group", 32);
  ModelBuilder::Ints(conv, "pads", {1, 1, 1, 1});
  b.Output("y");
  Graph g = b.Import();
  const double out = 2.0 * 32 * 14 * 14;  // batch 2
  EXPECT_DOUBLE_EQ(NodeById(g, "dw").flops, 2 * out * 1 * 9);
}

TEST(OnnxFlops, ConvTranspose) {
  ModelBuilder b;
  b.Input("x", {1, 8, 5, 5});
  b.Init("w", {8, 4, 2, 2});  // C_in x C_out/group x k x k
  auto* ct = b.Node("ConvTranspose", {"x", "w"}, {"y"}, "up");
  ModelBuilder::Ints(ct, "strides", {2, 2});
  b.Output("y");
  Graph g = b.Import();
  EXPECT_DOUBLE_EQ(NodeById(g, "up").flops, 2.0 * (8 * 5 * 5) * 4 * 4);
  EXPECT_DOUBLE_EQ(NodeById(g, "up").output_bytes, 4 * 10 * 10 * 4.0);
}

TEST(OnnxFlops, GemmWithTransposeAndBias) {
  ModelBuilder b;
  b.Input("a", {2, 64});
  b.Init("w", {32, 64});
  b.Init("c", {32});
  auto* gemm = b.Node("Gemm", {"a", "w", "c"}, {"y"}, "fc");
  ModelBuilder::Int(gemm, "transB", 1);
  b.Output("y");
  Graph g = b.Import();
  EXPECT_DOUBLE_EQ(NodeById(g, "fc").flops, 2.0 * 2 * 32 * 64 + 2 * 32);
  EXPECT_DOUBLE_EQ(NodeById(g, "fc").param_bytes, (32 * 64 + 32) * 4.0);
}

TEST(OnnxFlops, BatchedAndBroadcastMatMul) {
  ModelBuilder b;
  b.Input("a", {3, 4, 5, 6});
  b.Init("w", {6, 7});
  b.Node("MatMul", {"a", "w"}, {"y"}, "mm");
  b.Input("p", {2, 1, 5, 6});
  b.Input("q", {3, 6, 7});
  b.Node("MatMul", {"p", "q"}, {"z"}, "bmm");
  b.Input("v", {6});
  b.Node("MatMul", {"v", "w"}, {"u"}, "vec");
  b.Output("y");
  b.Output("z");
  b.Output("u");
  Graph g = b.Import();
  EXPECT_DOUBLE_EQ(NodeById(g, "mm").flops, 2.0 * 6 * (3 * 4 * 5 * 7));
  EXPECT_DOUBLE_EQ(NodeById(g, "bmm").flops, 2.0 * 6 * (2 * 3 * 5 * 7));
  EXPECT_DOUBLE_EQ(NodeById(g, "vec").flops, 2.0 * 6 * 7);
  EXPECT_DOUBLE_EQ(EdgeBytes(g, "input:q", "bmm"), 3 * 6 * 7 * 4.0);
}

TEST(OnnxFlops, Pooling) {
  ModelBuilder b;
  b.Input("x", {1, 4, 8, 8});
  auto* mp = b.Node("MaxPool", {"x"}, {"m"}, "maxpool");
  ModelBuilder::Ints(mp, "kernel_shape", {3, 3});
  ModelBuilder::Ints(mp, "strides", {2, 2});
  ModelBuilder::Ints(mp, "pads", {1, 1, 1, 1});
  b.Node("GlobalAveragePool", {"m"}, {"g"}, "gap");
  auto* ap = b.Node("AveragePool", {"x"}, {"a"}, "avgpool");
  ModelBuilder::Ints(ap, "kernel_shape", {2, 2});
  ModelBuilder::Ints(ap, "strides", {2, 2});
  b.Output("g");
  b.Output("a");
  Graph g = b.Import();
  EXPECT_DOUBLE_EQ(NodeById(g, "maxpool").flops, 4 * 4 * 4 * 9.0);  // out 4x4
  EXPECT_DOUBLE_EQ(NodeById(g, "gap").flops, 4 * 4 * 4.0);           // input elements
  EXPECT_DOUBLE_EQ(NodeById(g, "avgpool").flops, 4 * 4 * 4 * 4.0);
  EXPECT_DOUBLE_EQ(NodeById(g, "gap").output_bytes, 4 * 4.0);
}

TEST(OnnxFlops, ElementwiseNormsAndSoftmax) {
  ModelBuilder b;
  b.Input("x", {1, 4, 8, 8});
  b.Input("y", {1, 4, 8, 8});
  b.Node("Add", {"x", "y"}, {"s"}, "add");
  b.Node("Relu", {"s"}, {"r"}, "relu");
  b.Node("Sigmoid", {"r"}, {"g"}, "sigmoid");
  b.Init("scale", {4});
  b.Init("bias", {4});
  b.Init("mean", {4});
  b.Init("var", {4});
  b.Node("BatchNormalization", {"g", "scale", "bias", "mean", "var"}, {"bn"}, "bn");
  auto* sm = b.Node("Softmax", {"bn"}, {"sm"}, "softmax");
  ModelBuilder::Int(sm, "axis", 1);
  auto* rm = b.Node("ReduceMean", {"sm"}, {"rm"}, "reduce");
  ModelBuilder::Ints(rm, "axes", {2, 3});
  b.Output("rm");
  Graph g = b.Import();
  EXPECT_DOUBLE_EQ(NodeById(g, "add").flops, 256);
  EXPECT_DOUBLE_EQ(NodeById(g, "relu").flops, 256);
  EXPECT_DOUBLE_EQ(NodeById(g, "sigmoid").flops, 4 * 256);  // kTranscendentalFlops
  EXPECT_DOUBLE_EQ(NodeById(g, "bn").flops, 2 * 256);       // kBatchNormFlops
  EXPECT_DOUBLE_EQ(NodeById(g, "bn").param_bytes, 4 * 4 * 4.0);
  EXPECT_DOUBLE_EQ(NodeById(g, "softmax").flops, 8 * 256);  // kSoftmaxFlops
  EXPECT_DOUBLE_EQ(NodeById(g, "reduce").flops, 256);       // per input element
  EXPECT_DOUBLE_EQ(NodeById(g, "reduce").output_bytes, 4 * 4.0);
}

TEST(OnnxFlops, DataMovementHasNoFlopsButMovesBytes) {
  ModelBuilder b;
  b.Input("x", {1, 6, 4, 4});
  auto* split = b.Node("Split", {"x"}, {"a", "b2"}, "split");
  ModelBuilder::Int(split, "axis", 1);
  auto* cat = b.Node("Concat", {"b2", "a"}, {"c"}, "concat");
  ModelBuilder::Int(cat, "axis", 1);
  auto* tr = b.Node("Transpose", {"c"}, {"t"}, "transpose");
  ModelBuilder::Ints(tr, "perm", {0, 2, 3, 1});
  b.InitInts("shape", {1, -1});
  b.Node("Reshape", {"t", "shape"}, {"r"}, "reshape");
  b.Output("r");
  Graph g = b.Import();
  for (const char* id : {"split", "concat", "transpose", "reshape"}) EXPECT_EQ(NodeById(g, id).flops, 0) << id;
  // Both halves of the split go to the concat: one edge, bytes summed.
  EXPECT_DOUBLE_EQ(EdgeBytes(g, "split", "concat"), 6 * 16 * 4.0);
  EXPECT_DOUBLE_EQ(NodeById(g, "reshape").output_bytes, 96 * 4.0);
  EXPECT_DOUBLE_EQ(NodeById(g, "reshape").param_bytes, 16);  // the int64 shape
  EXPECT_EQ(g.num_edges(), 5);
}

TEST(OnnxImport, ConstantsAreParametersAndNamesFallBack) {
  ModelBuilder b;
  b.Input("x", {2, 3});
  auto* c = b.Node("Constant", {}, {"k"}, "const");
  auto* a = c->add_attribute();
  a->set_name("value");
  a->set_type(onnx::AttributeProto::TENSOR);
  a->mutable_t()->set_data_type(onnx::TensorProto::FLOAT);
  a->mutable_t()->add_dims(3);
  for (int i = 0; i < 3; ++i) a->mutable_t()->add_float_data(1.0f);
  b.Node("Mul", {"x", "k"}, {"y"});     // node 1: unnamed
  b.Node("Mul", {"y", "y"}, {"z"}, "");  // node 2: same tensor twice
  b.Output("z");
  Graph g = b.Import();
  EXPECT_EQ(g.FindNode("const"), -1);
  EXPECT_DOUBLE_EQ(NodeById(g, "Mul_1").param_bytes, 12);
  EXPECT_DOUBLE_EQ(EdgeBytes(g, "Mul_1", "Mul_2"), 24);  // counted once
  EXPECT_EQ(g.num_nodes(), 4);                             // input, 2 x Mul, output
}

TEST(OnnxImport, HostNodesAndParametersListedAsInputs) {
  ModelBuilder b;
  b.Input("x", {1, 3});
  b.Input("w", {3, 2});  // also an initializer: a parameter, not an input
  b.Init("w", {3, 2});
  b.Node("MatMul", {"x", "w"}, {"y"}, "mm");
  b.Output("y");
  Graph g = b.Import();
  ASSERT_TRUE(g.finalized());
  EXPECT_EQ(g.num_nodes(), 3);
  EXPECT_EQ(g.FindNode("input:w"), -1);
  const Node& in = NodeById(g, "input:x");
  EXPECT_EQ(in.op, "input");
  ASSERT_EQ(in.time_s.size(), 1u);
  EXPECT_EQ(in.time_s.at("*"), 0);
  EXPECT_DOUBLE_EQ(in.output_bytes, 12);
  const Node& out = NodeById(g, "output:y");
  EXPECT_EQ(out.op, "output");
  EXPECT_EQ(out.time_s.at("*"), 0);
  EXPECT_DOUBLE_EQ(NodeById(g, "mm").param_bytes, 24);
  EXPECT_DOUBLE_EQ(EdgeBytes(g, "mm", "output:y"), 8);

  OnnxImportOptions no_io;
  no_io.io_nodes = false;
  Graph g2 = b.Import(no_io);
  EXPECT_EQ(g2.num_nodes(), 1);
  EXPECT_EQ(g2.num_edges(), 0);
}

TEST(OnnxImport, DtypeSizes) {
  ModelBuilder b;
  b.Input("x", {10}, onnx::TensorProto::INT64);
  auto* cast = b.Node("Cast", {"x"}, {"h"}, "cast");
  ModelBuilder::Int(cast, "to", onnx::TensorProto::FLOAT16);
  b.Output("h", onnx::TensorProto::FLOAT16);
  Graph g = b.Import();
  EXPECT_DOUBLE_EQ(EdgeBytes(g, "input:x", "cast"), 80);
  EXPECT_DOUBLE_EQ(EdgeBytes(g, "cast", "output:h"), 20);
}

TEST(OnnxImport, SymbolicBatchDimension) {
  ModelBuilder b;
  b.Input("x", {-1, 3});  // dim_param "N"
  b.Node("Relu", {"x"}, {"y"}, "relu");
  b.Output("y");
  std::vector<std::string> warnings;
  Graph g = b.Import({}, &warnings);
  EXPECT_DOUBLE_EQ(NodeById(g, "relu").flops, 3);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("'N'"), std::string::npos) << warnings[0];

  OnnxImportOptions opt;
  opt.dim_values["N"] = 4;
  warnings.clear();
  Graph g4 = b.Import(opt, &warnings);
  EXPECT_DOUBLE_EQ(NodeById(g4, "relu").flops, 12);
  EXPECT_TRUE(warnings.empty());

  OnnxImportOptions strict;
  strict.default_dim_value = 0;
  EXPECT_NE(ErrorOf([&] { b.Import(strict); }).find("dimension 0 ('N') is symbolic"), std::string::npos);
}

TEST(OnnxImport, UnknownShapeIsAnErrorUnlessAllowed) {
  ModelBuilder b;
  b.Input("x", {2, 6});
  b.Input("s", {2}, onnx::TensorProto::INT64);  // shape given at run time
  b.Node("Reshape", {"x", "s"}, {"r"}, "reshape");
  b.Node("Relu", {"r"}, {"y"}, "relu");
  b.Output("y");
  std::string err = ErrorOf([&] { b.Import(); });
  EXPECT_NE(err.find("test.onnx: cannot infer the shape of tensor 'r'"), std::string::npos) << err;
  OnnxImportOptions allow;
  allow.allow_unknown_shapes = true;
  std::vector<std::string> warnings;
  Graph g = b.Import(allow, &warnings);
  EXPECT_DOUBLE_EQ(EdgeBytes(g, "reshape", "relu"), 0);
  EXPECT_FALSE(warnings.empty());
}

TEST(OnnxImport, ShapeArithmeticBeyondOnnxDataPropagation) {
  // torch's x.chunk(2, dim=1): Shape -> Gather -> Div -> Unsqueeze -> Slice
  // ends. ONNX 1.12 does not propagate through Div; the importer folds it.
  ModelBuilder b;
  b.Input("x", {1, 6, 4, 4});
  b.Node("Shape", {"x"}, {"shape"}, "shape");
  b.InitInts("one", {1});
  b.Node("Gather", {"shape", "one"}, {"c"}, "gather");
  b.InitInts("two", {2});
  b.Node("Div", {"c", "two"}, {"half"}, "div");
  b.InitInts("zero", {0});
  b.Node("Slice", {"x", "zero", "half", "one"}, {"y"}, "slice");
  b.Node("Relu", {"y"}, {"z"}, "relu");
  b.Output("z");
  Graph g = b.Import();
  EXPECT_DOUBLE_EQ(NodeById(g, "slice").output_bytes, 3 * 16 * 4.0);
  EXPECT_DOUBLE_EQ(NodeById(g, "relu").flops, 3 * 16);
  // The shape subgraph stays in the graph.
  EXPECT_GT(EdgeBytes(g, "div", "slice"), 0);
}

// The measured CPU profiles name exactly the imported nodes.
TEST(OnnxZoo, ProfilesMatchImportedNodeNames) {
  const std::filesystem::path zoo = std::filesystem::path(DIVIML_SOURCE_DIR) / "zoo";
  int checked = 0;
  for (const char* model : {"resnet50", "mobilenet_v2", "bert_base"}) {
    const auto onnx = zoo / "models" / (std::string(model) + ".onnx");
    const auto csv = zoo / "profiles" / (std::string(model) + ".cpu.csv");
    if (!std::filesystem::exists(onnx) || !std::filesystem::exists(csv)) continue;
    std::vector<std::string> warnings;
    Graph g = ImportOnnx(onnx.string(), {}, &warnings);
    Profile p = ReadProfile(csv.string());
    EXPECT_EQ(ApplyProfile(g, p), static_cast<int>(p.entries.size())) << model;
    int ops = 0, timed = 0;
    for (const Node& n : g.nodes) {
      if (n.op == "input" || n.op == "output") continue;
      ++ops;
      timed += n.time_s.count("cpu") > 0;
    }
    EXPECT_EQ(timed, ops) << model;  // every operator measured
    ++checked;
  }
  if (checked == 0) GTEST_SKIP() << "no zoo profiles";
}

TEST(OnnxImport, ErrorMissingFile) {
  std::string err = ErrorOf([] { ImportOnnx("/nonexistent/model.onnx"); });
  EXPECT_EQ(err, "/nonexistent/model.onnx: no such file");
}

TEST(OnnxImport, ErrorNotOnnx) {
  std::mt19937_64 rng(7);
  std::string junk(4096, '\0');
  for (char& c : junk) c = static_cast<char>(rng() & 0xff);
  auto path = TempPath("junk.onnx");
  std::ofstream(path, std::ios::binary) << junk;
  std::string err = ErrorOf([&] { ImportOnnx(path.string()); });
  EXPECT_EQ(err.rfind(path.string() + ": not an ONNX model", 0), 0u) << err;

  err = ErrorOf([] { ImportOnnxBytes("{\"format\": \"diviml-graph-v1\"}", "g.json"); });
  EXPECT_EQ(err.rfind("g.json: not an ONNX model", 0), 0u) << err;
  err = ErrorOf([] { ImportOnnxBytes("", "empty.onnx"); });
  EXPECT_EQ(err.rfind("empty.onnx: not an ONNX model", 0), 0u) << err;
}

TEST(OnnxImport, ErrorControlFlow) {
  ModelBuilder b;
  b.Input("x", {1});
  auto* loop = b.Node("Loop", {"", "", "x"}, {"y"}, "x_loop");
  auto* body = loop->add_attribute();
  body->set_name("body");
  body->set_type(onnx::AttributeProto::GRAPH);
  body->mutable_g()->set_name("body");
  b.Output("y");
  std::string err = ErrorOf([&] { b.Import(); });
  EXPECT_EQ(err, "test.onnx: control flow operator 'Loop' (node 'x_loop') is not supported");

  ModelBuilder c;
  c.Input("x", {1});
  auto* n = c.Node("Custom", {"x"}, {"y"});
  auto* a = n->add_attribute();
  a->set_name("then_branch");
  a->set_type(onnx::AttributeProto::GRAPH);
  a->mutable_g()->set_name("t");
  c.Output("y");
  err = ErrorOf([&] { c.Import(); });
  EXPECT_EQ(err, "test.onnx: control flow operator 'Custom' (node 'Custom_0') is not supported");
}

TEST(OnnxImport, ErrorTensorNeverProduced) {
  ModelBuilder b;
  b.Input("x", {2});
  b.Node("Add", {"x", "ghost"}, {"y"}, "add");
  b.Output("y");
  std::string err = ErrorOf([&] { b.Import(); });
  EXPECT_NE(err.find("ghost"), std::string::npos) << err;
}

TEST(OnnxImport, FromFile) {
  ModelBuilder b;
  b.Input("x", {4});
  b.Node("Relu", {"x"}, {"y"}, "relu");
  b.Output("y");
  auto path = TempPath("tiny.onnx");
  std::ofstream(path, std::ios::binary) << b.Bytes();
  Graph g = ImportOnnx(path.string());
  EXPECT_EQ(g.name, "tiny");
  EXPECT_EQ(g.num_nodes(), 3);
}

TEST(OnnxFuse, TrivialOperatorsFoldIntoNeighbours) {
  ModelBuilder b;
  b.Input("x", {1, 3, 8, 8});
  b.Init("w", {4, 3, 3, 3});
  auto* conv = b.Node("Conv", {"x", "w"}, {"c"}, "conv");
  ModelBuilder::Ints(conv, "pads", {1, 1, 1, 1});
  b.Node("Relu", {"c"}, {"r"}, "relu");
  b.Node("Flatten", {"r"}, {"f"}, "flatten");
  b.Init("fcw", {10, 256});
  auto* fc = b.Node("Gemm", {"f", "fcw"}, {"y"}, "fc");
  ModelBuilder::Int(fc, "transB", 1);
  b.Node("Relu", {"c"}, {"r2"}, "relu2");  // a second consumer of c
  b.Output("y");
  b.Output("r2");
  Graph g = b.Import();
  double flops = 0;
  for (const Node& n : g.nodes) flops += n.flops;
  EXPECT_EQ(g.num_nodes(), 8);
  FuseStats st = FuseTrivial(g);
  EXPECT_EQ(st.nodes_before, 8);
  EXPECT_EQ(st.nodes_after, g.num_nodes());
  ASSERT_TRUE(g.finalized());
  double fused_flops = 0;
  for (const Node& n : g.nodes) fused_flops += n.flops;
  EXPECT_DOUBLE_EQ(fused_flops, flops);
  // relu and relu2 fold into conv (single producer), flatten likewise.
  EXPECT_EQ(g.num_nodes(), 5);
  EXPECT_EQ(g.FindNode("relu"), -1);
  EXPECT_EQ(g.FindNode("flatten"), -1);
  const Node& c = NodeById(g, "conv");
  EXPECT_NE(c.op.find("Conv+"), std::string::npos) << c.op;
  EXPECT_GT(EdgeBytes(g, "conv", "fc"), 0);
  EXPECT_GT(EdgeBytes(g, "conv", "output:r2"), 0);
  EXPECT_TRUE(IsTrivialOp("Reshape+Relu"));
  EXPECT_FALSE(IsTrivialOp("Conv+Relu"));
}

TEST(OnnxFuse, NeverMergesHostNodesAndStaysAcyclic) {
  ModelBuilder b;
  b.Input("x", {4});
  b.Node("Relu", {"x"}, {"a"}, "r1");  // producer is the host input
  b.Node("Add", {"a", "x"}, {"s"}, "add");
  b.Node("Sigmoid", {"s"}, {"y"}, "sig");
  b.Output("y");
  Graph g = b.Import();
  FuseTrivial(g);
  ASSERT_TRUE(g.finalized());
  EXPECT_GE(g.FindNode("input:x"), 0);
  EXPECT_GE(g.FindNode("output:y"), 0);
  // r1 (producer is the host) folds into its single consumer add; sig into add.
  EXPECT_EQ(g.num_nodes(), 3);
  EXPECT_EQ(NodeById(g, "add").op, "Relu+Add+Sigmoid");
}

// Total flops of the exported zoo models against the reference counts.
TEST(OnnxZoo, TotalFlopsMatchReference) {
  const std::filesystem::path dir = std::filesystem::path(DIVIML_SOURCE_DIR) / "zoo" / "models";
  const auto ref_path = dir / "reference_flops.json";
  if (!std::filesystem::exists(ref_path)) GTEST_SKIP() << "no " << ref_path;
  std::ifstream in(ref_path);
  nlohmann::json ref = nlohmann::json::parse(in);
  if (ref.contains("models") && ref["models"].is_object()) ref = ref["models"];
  int checked = 0;
  for (const char* model : {"resnet50", "mobilenet_v2", "vgg16"}) {
    const auto path = dir / (std::string(model) + ".onnx");
    if (!std::filesystem::exists(path) || !ref.contains(model)) continue;
    const auto& r = ref[model];
    double expected = r.is_number() ? r.get<double>() : r.value("flops", 0.0);
    ASSERT_GT(expected, 0) << model;
    std::vector<std::string> warnings;
    Graph g = ImportOnnx(path.string(), {}, &warnings);
    double flops = 0;
    for (const Node& n : g.nodes) flops += n.flops;
    EXPECT_NEAR(flops / expected, 1.0, 0.05) << model << ": " << flops << " vs " << expected;
    ++checked;
  }
  if (checked == 0) GTEST_SKIP() << "no zoo model files";
}

TEST(OnnxZoo, ResNet50IsAbout8GFlops) {
  const auto path = std::filesystem::path(DIVIML_SOURCE_DIR) / "zoo" / "models" / "resnet50.onnx";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no " << path;
  std::vector<std::string> warnings;
  Graph g = ImportOnnx(path.string(), {}, &warnings);
  double flops = 0;
  for (const Node& n : g.nodes) flops += n.flops;
  EXPECT_NEAR(flops / 8.2e9, 1.0, 0.05) << flops;
}

}  // namespace
}  // namespace diviml
