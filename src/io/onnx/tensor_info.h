// Internal to the ONNX importer: what is known about one tensor.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

namespace diviml::onnx_import {

struct TensorInfo {
  int32_t elem_type = 0;       // onnx::TensorProto_DataType; 0 = unknown
  bool shape_known = false;    // every dimension has a value
  std::vector<int64_t> dims;   // valid when shape_known
  bool is_param = false;       // initializer or Constant output

  double elems() const {
    double n = 1;
    for (int64_t d : dims) n *= static_cast<double>(d);
    return n;
  }
  // Bytes of one element, 0 when the type has no fixed size.
  static int ElemSize(int32_t elem_type);
  double bytes() const { return elems() * ElemSize(elem_type); }
  bool bytes_known() const { return shape_known && ElemSize(elem_type) > 0; }
};

// Returns the tensor's info, or nullptr when the name is unknown.
using TensorLookup = std::function<const TensorInfo*(const std::string&)>;

struct FlopsResult {
  double flops = 0;
  bool has_formula = true;    // false: generic 1 flop per output element
  bool shape_missing = false; // some shape the formula needs is unknown
};

// Flops of one ONNX operator (1 multiply-add = 2 flops). Formulas and
// constants are documented in flops.cc.
FlopsResult OperatorFlops(const onnx::NodeProto& node, const TensorLookup& lookup);

}  // namespace diviml::onnx_import
