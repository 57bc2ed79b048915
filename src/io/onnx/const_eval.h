// Internal to the ONNX importer: evaluation of the small integer "shape
// arithmetic" subgraphs exporters emit (Shape -> Gather -> Div -> Slice...),
// which ONNX 1.12's data propagation does not cover completely (Div, Cast,
// Where, Range...). The importer folds the computed values into a copy of
// the model used only for shape inference.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "tensor_info.h"

namespace diviml::onnx_import {

struct ConstValue {
  int32_t elem_type = onnx::TensorProto::INT64;
  std::vector<int64_t> dims;  // empty = scalar
  std::vector<double> v;      // row-major values
};

// Values computable from initializers with data, Constant nodes and known
// shapes (Shape/Size), for tensors of at most kMaxConstElems elements.
// `shapes` gives the tensor infos known from shape inference.
constexpr size_t kMaxConstElems = 4096;
std::map<std::string, ConstValue> EvaluateConstants(const onnx::GraphProto& graph, const TensorLookup& shapes);

// A TensorProto holding `value` under `name`.
onnx::TensorProto ToTensor(const std::string& name, const ConstValue& value);

}  // namespace diviml::onnx_import
