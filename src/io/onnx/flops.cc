// Flops per ONNX operator. Convention: 1 multiply-add = 2 flops; shapes come
// from shape inference (batch included). Formulas, with Y the output, X the
// first input, |T| the element count of T:
//
//   Conv            2 * |Y| * (C_in / group) * prod(kernel) (+ |Y| with bias).
//                   Dilation and strides change only the output size, which
//                   shape inference already accounts for.
//   ConvTranspose   2 * |X| * (C_out / group) * prod(kernel) (+ |Y| with bias)
//   Gemm            2 * M * N * K (+ M * N when C is given)
//   MatMul          2 * K * |Y| (K = last dim of A; covers batched and
//                   broadcast operands and 1-D vectors)
//   pooling         |Y| * prod(kernel) (MaxPool, AveragePool, LpPool);
//                   |X| for the Global* pools
//   elementwise     kElementwiseFlops (1) per output element for arithmetic,
//                   comparison and piecewise-linear activations (Relu,
//                   LeakyRelu, PRelu, Clip, HardSigmoid...) and CumSum;
//                   Sum/Mean/Max/Min
//                   of k inputs: (k - 1) per element (+1 for Mean)
//   transcendental  kTranscendentalFlops (4) per output element: Exp, Log,
//                   Sigmoid, Tanh, Erf, Gelu, Softplus, Pow, Elu, Selu, trig
//   BatchNorm       kBatchNormFlops (2) per element (inference: scale+shift)
//   Layer/Instance/Group norm, MeanVarianceNormalization
//                   kNormFlops (8) per element: mean 1, variance 3,
//                   normalise 2, affine 2
//   LRN             (2 * size + kTranscendentalFlops) per element
//   Softmax, LogSoftmax
//                   kSoftmaxFlops (8) per element: max 1, sub 1, exp 4,
//                   sum 1, div 1
//   reductions      1 per input element (Reduce*, ArgMax, ArgMin)
//   Resize/Upsample 0 for mode nearest (data movement); kLinearResizeFlops
//                   (8) per output element for linear, kCubicResizeFlops (32)
//                   for cubic
//   data movement   0 flops (Concat, Split, Reshape, Transpose, Gather, Slice,
//                   Pad, Expand, Tile, Cast, Shape, ...): bytes only
// Any other operator counts 1 flop per output element and is reported as
// having no formula (the importer warns once per op type).
#include <algorithm>
#include <set>
#include <string>

#include "tensor_info.h"

namespace diviml::onnx_import {

constexpr double kElementwiseFlops = 1;
constexpr double kTranscendentalFlops = 4;
constexpr double kBatchNormFlops = 2;
constexpr double kNormFlops = 8;
constexpr double kSoftmaxFlops = 8;
constexpr double kLinearResizeFlops = 8;
constexpr double kCubicResizeFlops = 32;

int TensorInfo::ElemSize(int32_t t) {
  using T = onnx::TensorProto;
  switch (t) {
    case T::FLOAT: case T::INT32: case T::UINT32: return 4;
    case T::UINT8: case T::INT8: case T::BOOL: return 1;
    case T::UINT16: case T::INT16: case T::FLOAT16: case T::BFLOAT16: return 2;
    case T::INT64: case T::UINT64: case T::DOUBLE: case T::COMPLEX64: return 8;
    case T::COMPLEX128: return 16;
    default: return 0;  // UNDEFINED, STRING
  }
}

namespace {

const std::set<std::string, std::less<>> kDataMovement = {
    "Concat", "Split", "SplitToSequence", "Reshape", "Transpose", "Gather",
    "GatherElements", "GatherND", "Slice", "Squeeze", "Unsqueeze", "Flatten",
    "Identity", "Dropout", "Pad", "Expand", "Tile", "Shape", "Size", "Cast",
    "CastLike", "ConstantOfShape", "Range", "ScatterND", "ScatterElements",
    "Scatter", "DepthToSpace", "SpaceToDepth", "NonZero", "OneHot", "Trilu",
    "EyeLike", "TopK", "Compress", "ReverseSequence", "Unique",
    "Constant", "SequenceConstruct", "SequenceAt", "ConcatFromSequence"};

const std::set<std::string, std::less<>> kElementwise = {
    "Add", "Sub", "Mul", "Div", "Mod", "Neg", "Abs", "Floor", "Ceil", "Round",
    "Sign", "Relu", "LeakyRelu", "PRelu", "Clip", "ThresholdedRelu",
    "HardSigmoid", "Shrink", "Sqrt", "Reciprocal", "Equal", "Greater",
    "Less", "GreaterOrEqual", "LessOrEqual", "And", "Or", "Xor", "Not",
    "Where", "BitShift", "IsNaN", "IsInf", "BitwiseAnd", "BitwiseOr",
    "BitwiseXor", "BitwiseNot", "HardSwish", "CumSum"};

const std::set<std::string, std::less<>> kTranscendental = {
    "Exp", "Log", "Sigmoid", "Tanh", "Erf", "Gelu", "Softplus", "Softsign",
    "Pow", "Elu", "Selu", "Celu", "Mish", "Sin", "Cos", "Tan", "Asin", "Acos",
    "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh"};

const std::set<std::string, std::less<>> kReductions = {
    "ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd",
    "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp",
    "ReduceSumSquare", "ArgMax", "ArgMin"};

const onnx::AttributeProto* Attr(const onnx::NodeProto& node, std::string_view name) {
  for (const auto& a : node.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

std::string AttrString(const onnx::NodeProto& node, std::string_view name, std::string def) {
  const auto* a = Attr(node, name);
  return a ? a->s() : def;
}

int64_t AttrInt(const onnx::NodeProto& node, std::string_view name, int64_t def) {
  const auto* a = Attr(node, name);
  return a ? a->i() : def;
}

}  // namespace

FlopsResult OperatorFlops(const onnx::NodeProto& node, const TensorLookup& lookup) {
  FlopsResult r;
  const std::string& op = node.op_type();
  auto in = [&](int k) -> const TensorInfo* {
    if (k >= node.input_size() || node.input(k).empty()) return nullptr;
    const TensorInfo* t = lookup(node.input(k));
    return t && t->shape_known ? t : nullptr;
  };
  auto out = [&](int k) -> const TensorInfo* {
    if (k >= node.output_size() || node.output(k).empty()) return nullptr;
    const TensorInfo* t = lookup(node.output(k));
    return t && t->shape_known ? t : nullptr;
  };
  auto has_input = [&](int k) { return k < node.input_size() && !node.input(k).empty(); };
  auto missing = [&]() {
    r.shape_missing = true;
    r.flops = 0;
    return r;
  };
  const bool default_domain = node.domain().empty() || node.domain() == "ai.onnx";
  if (!default_domain) {
    r.has_formula = false;
  } else if (op == "Conv" || op == "ConvInteger") {
    const TensorInfo *y = out(0), *w = in(1);
    if (!y || !w || w->dims.size() < 2) return missing();
    double kernel = 1;
    for (size_t i = 2; i < w->dims.size(); ++i) kernel *= static_cast<double>(w->dims[i]);
    const double cin_per_group = static_cast<double>(w->dims[1]);
    r.flops = 2 * y->elems() * cin_per_group * kernel + (has_input(2) ? y->elems() : 0);
    return r;
  } else if (op == "ConvTranspose") {
    const TensorInfo *x = in(0), *w = in(1), *y = out(0);
    if (!x || !w || !y || w->dims.size() < 2) return missing();
    double kernel = 1;
    for (size_t i = 2; i < w->dims.size(); ++i) kernel *= static_cast<double>(w->dims[i]);
    const double cout_per_group = static_cast<double>(w->dims[1]);
    r.flops = 2 * x->elems() * cout_per_group * kernel + (has_input(2) ? y->elems() : 0);
    return r;
  } else if (op == "Gemm") {
    const TensorInfo *a = in(0), *y = out(0);
    if (!a || !y || a->dims.size() != 2) return missing();
    const double k = static_cast<double>(AttrInt(node, "transA", 0) ? a->dims[0] : a->dims[1]);
    r.flops = 2 * y->elems() * k + (has_input(2) ? y->elems() : 0);
    return r;
  } else if (op == "MatMul" || op == "MatMulInteger") {
    const TensorInfo *a = in(0), *y = out(0);
    if (!a || !y || a->dims.empty()) return missing();
    r.flops = 2 * static_cast<double>(a->dims.back()) * y->elems();
    return r;
  } else if (op == "MaxPool" || op == "AveragePool" || op == "LpPool") {
    const TensorInfo* y = out(0);
    const auto* ks = Attr(node, "kernel_shape");
    if (!y) return missing();
    double kernel = 1;
    if (ks)
      for (int64_t k : ks->ints()) kernel *= static_cast<double>(k);
    r.flops = y->elems() * kernel;
    return r;
  } else if (op == "GlobalAveragePool" || op == "GlobalMaxPool" || op == "GlobalLpPool") {
    const TensorInfo* x = in(0);
    if (!x) return missing();
    r.flops = x->elems();
    return r;
  } else if (op == "BatchNormalization") {
    const TensorInfo* y = out(0);
    if (!y) return missing();
    r.flops = kBatchNormFlops * y->elems();
    return r;
  } else if (op == "LayerNormalization" || op == "InstanceNormalization" ||
             op == "GroupNormalization" || op == "MeanVarianceNormalization") {
    const TensorInfo* y = out(0);
    if (!y) return missing();
    r.flops = kNormFlops * y->elems();
    return r;
  } else if (op == "LRN") {
    const TensorInfo* y = out(0);
    if (!y) return missing();
    r.flops = (2.0 * static_cast<double>(AttrInt(node, "size", 1)) + kTranscendentalFlops) * y->elems();
    return r;
  } else if (op == "Softmax" || op == "LogSoftmax" || op == "Hardmax") {
    const TensorInfo* y = out(0);
    if (!y) return missing();
    r.flops = kSoftmaxFlops * y->elems();
    return r;
  } else if (kReductions.count(op)) {
    const TensorInfo* x = in(0);
    if (!x) return missing();
    r.flops = x->elems();
    return r;
  } else if (op == "Resize" || op == "Upsample") {
    const TensorInfo* y = out(0);
    std::string mode = AttrString(node, "mode", "nearest");
    if (mode == "nearest") return r;
    if (!y) return missing();
    r.flops = (mode == "cubic" ? kCubicResizeFlops : kLinearResizeFlops) * y->elems();
    return r;
  } else if (op == "Sum" || op == "Mean" || op == "Max" || op == "Min") {
    const TensorInfo* y = out(0);
    if (!y) return missing();
    int k = 0;
    for (int i = 0; i < node.input_size(); ++i) k += !node.input(i).empty();
    r.flops = std::max(0, k - 1) * kElementwiseFlops * y->elems() + (op == "Mean" ? y->elems() : 0);
    return r;
  } else if (kElementwise.count(op)) {
    const TensorInfo* y = out(0);
    if (!y) return missing();
    r.flops = kElementwiseFlops * y->elems();
    return r;
  } else if (kTranscendental.count(op)) {
    const TensorInfo* y = out(0);
    if (!y) return missing();
    r.flops = kTranscendentalFlops * y->elems();
    return r;
  } else if (kDataMovement.count(op)) {
    return r;
  } else {
    r.has_formula = false;
  }
  // No formula: 1 flop per output element.
  double total = 0;
  for (int k = 0; k < node.output_size(); ++k) {
    if (node.output(k).empty()) continue;
    const TensorInfo* y = out(k);
    if (!y) {
      r.shape_missing = true;
      continue;
    }
    total += y->elems();
  }
  r.flops = total;
  return r;
}

}  // namespace diviml::onnx_import
