// Constant evaluation of small integer/float tensors (see const_eval.h).
// One pass in node order (ONNX graphs are topologically sorted): O(nodes x
// kMaxConstElems) at most.
#include "const_eval.h"

#include <cmath>
#include <cstring>
#include <optional>

namespace diviml::onnx_import {

namespace {

using T = onnx::TensorProto;

bool IsIntegral(int32_t t) {
  return t == T::INT64 || t == T::INT32 || t == T::INT16 || t == T::INT8 || t == T::UINT8 ||
         t == T::UINT16 || t == T::UINT32 || t == T::UINT64 || t == T::BOOL;
}

size_t Count(const std::vector<int64_t>& dims) {
  size_t n = 1;
  for (int64_t d : dims) n *= static_cast<size_t>(std::max<int64_t>(d, 0));
  return n;
}

template <class X>
void ReadRaw(const std::string& raw, std::vector<double>* out) {
  const size_t n = raw.size() / sizeof(X);
  out->resize(n);
  for (size_t i = 0; i < n; ++i) {
    X x;
    std::memcpy(&x, raw.data() + i * sizeof(X), sizeof(X));
    (*out)[i] = static_cast<double>(x);
  }
}

std::optional<ConstValue> FromTensor(const onnx::TensorProto& t) {
  ConstValue c;
  c.elem_type = t.data_type();
  c.dims.assign(t.dims().begin(), t.dims().end());
  const size_t n = Count(c.dims);
  if (n > kMaxConstElems) return std::nullopt;
  if (t.data_location() == T::EXTERNAL) return std::nullopt;
  if (t.has_raw_data()) {
    const std::string& raw = t.raw_data();
    switch (c.elem_type) {
      case T::INT64: ReadRaw<int64_t>(raw, &c.v); break;
      case T::INT32: ReadRaw<int32_t>(raw, &c.v); break;
      case T::FLOAT: ReadRaw<float>(raw, &c.v); break;
      case T::DOUBLE: ReadRaw<double>(raw, &c.v); break;
      case T::UINT8: case T::BOOL: ReadRaw<uint8_t>(raw, &c.v); break;
      case T::INT8: ReadRaw<int8_t>(raw, &c.v); break;
      default: return std::nullopt;
    }
  } else {
    switch (c.elem_type) {
      case T::INT64: c.v.assign(t.int64_data().begin(), t.int64_data().end()); break;
      case T::FLOAT: c.v.assign(t.float_data().begin(), t.float_data().end()); break;
      case T::DOUBLE: c.v.assign(t.double_data().begin(), t.double_data().end()); break;
      case T::INT32: case T::INT16: case T::INT8: case T::UINT8: case T::UINT16: case T::BOOL:
        c.v.assign(t.int32_data().begin(), t.int32_data().end());
        break;
      default: return std::nullopt;
    }
  }
  if (c.v.size() != n) return std::nullopt;  // data stripped or malformed
  return c;
}

const onnx::AttributeProto* Attr(const onnx::NodeProto& node, const char* name) {
  for (const auto& a : node.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

std::optional<std::vector<int64_t>> Ints(const ConstValue* c) {
  if (!c) return std::nullopt;
  std::vector<int64_t> r;
  for (double x : c->v) r.push_back(static_cast<int64_t>(x));
  return r;
}

ConstValue Vector(std::vector<double> v, int32_t elem = T::INT64) {
  ConstValue c;
  c.elem_type = elem;
  c.dims = {static_cast<int64_t>(v.size())};
  c.v = std::move(v);
  return c;
}

// Elementwise with numpy broadcasting restricted to equal shapes or a
// single-element operand.
std::optional<ConstValue> Binary(const ConstValue& a, const ConstValue& b, double (*f)(double, double),
                                 int32_t out_type) {
  ConstValue r;
  r.elem_type = out_type;
  if (a.v.size() == b.v.size()) {
    r.dims = a.dims.size() >= b.dims.size() ? a.dims : b.dims;
  } else if (a.v.size() == 1) {
    r.dims = b.dims;
  } else if (b.v.size() == 1) {
    r.dims = a.dims;
  } else {
    return std::nullopt;
  }
  const size_t n = std::max(a.v.size(), b.v.size());
  r.v.resize(n);
  for (size_t i = 0; i < n; ++i) r.v[i] = f(a.v[a.v.size() == 1 ? 0 : i], b.v[b.v.size() == 1 ? 0 : i]);
  return r;
}

int64_t Clamp(int64_t x, int64_t lo, int64_t hi) { return std::max(lo, std::min(hi, x)); }

std::optional<ConstValue> Evaluate(const onnx::NodeProto& node, const std::vector<const ConstValue*>& in,
                                   const TensorLookup& shapes) {
  const std::string& op = node.op_type();
  auto has = [&](size_t k) { return k < in.size() && in[k]; };
  auto all = [&] {
    for (int k = 0; k < node.input_size(); ++k)
      if (!node.input(k).empty() && !in[k]) return false;
    return node.input_size() > 0;
  };
  if (op == "Constant") {
    for (const auto& a : node.attribute()) {
      if (a.name() == "value") return FromTensor(a.t());
      if (a.name() == "value_int") return ConstValue{T::INT64, {}, {static_cast<double>(a.i())}};
      if (a.name() == "value_float") return ConstValue{T::FLOAT, {}, {a.f()}};
      if (a.name() == "value_ints") {
        std::vector<double> v(a.ints().begin(), a.ints().end());
        return Vector(v);
      }
      if (a.name() == "value_floats") {
        std::vector<double> v(a.floats().begin(), a.floats().end());
        return Vector(v, T::FLOAT);
      }
    }
    return std::nullopt;
  }
  if (op == "Shape" || op == "Size") {
    if (node.input_size() < 1) return std::nullopt;
    const TensorInfo* t = shapes(node.input(0));
    if (!t || !t->shape_known) return std::nullopt;
    if (op == "Size") return ConstValue{T::INT64, {}, {t->elems()}};
    const int64_t rank = static_cast<int64_t>(t->dims.size());
    int64_t start = 0, end = rank;
    if (const auto* a = Attr(node, "start")) start = a->i();
    if (const auto* a = Attr(node, "end")) end = a->i();
    if (start < 0) start += rank;
    if (end < 0) end += rank;
    start = Clamp(start, 0, rank);
    end = Clamp(end, 0, rank);
    std::vector<double> v;
    for (int64_t i = start; i < end; ++i) v.push_back(static_cast<double>(t->dims[i]));
    return Vector(v);
  }
  if (!all()) return std::nullopt;
  const ConstValue* a = in[0];
  if (op == "Identity" || op == "Floor" || op == "Ceil" || op == "Round" || op == "Neg" || op == "Abs" ||
      op == "Sqrt" || op == "Reciprocal") {
    ConstValue r = *a;
    for (double& x : r.v) {
      if (op == "Floor") x = std::floor(x);
      else if (op == "Ceil") x = std::ceil(x);
      else if (op == "Round") x = std::nearbyint(x);
      else if (op == "Neg") x = -x;
      else if (op == "Abs") x = std::fabs(x);
      else if (op == "Sqrt") x = std::sqrt(x);
      else if (op == "Reciprocal") x = 1 / x;
    }
    return r;
  }
  if (op == "Cast") {
    const auto* to = Attr(node, "to");
    if (!to) return std::nullopt;
    ConstValue r = *a;
    r.elem_type = static_cast<int32_t>(to->i());
    if (IsIntegral(r.elem_type))
      for (double& x : r.v) x = std::trunc(x);
    return r;
  }
  if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div" || op == "Equal" || op == "Max" ||
      op == "Min" || op == "Mod") {
    if (in.size() != 2 || !in[1]) return std::nullopt;
    const bool integral = IsIntegral(a->elem_type);
    double (*f)(double, double) = nullptr;
    if (op == "Add") f = [](double x, double y) { return x + y; };
    else if (op == "Sub") f = [](double x, double y) { return x - y; };
    else if (op == "Mul") f = [](double x, double y) { return x * y; };
    else if (op == "Max") f = [](double x, double y) { return std::max(x, y); };
    else if (op == "Min") f = [](double x, double y) { return std::min(x, y); };
    else if (op == "Equal") f = [](double x, double y) { return x == y ? 1.0 : 0.0; };
    else if (op == "Mod") {
      if (!integral) return std::nullopt;
      f = [](double x, double y) { return y == 0 ? 0.0 : x - std::floor(x / y) * y; };
    } else if (integral) {
      f = [](double x, double y) { return y == 0 ? 0.0 : std::trunc(x / y); };
    } else {
      f = [](double x, double y) { return x / y; };
    }
    return Binary(*a, *in[1], f, op == "Equal" ? T::BOOL : a->elem_type);
  }
  if (op == "Where") {
    if (in.size() != 3) return std::nullopt;
    const ConstValue &c = *in[0], &x = *in[1], &y = *in[2];
    const size_t n = std::max({c.v.size(), x.v.size(), y.v.size()});
    for (const ConstValue* t : {&c, &x, &y})
      if (t->v.size() != n && t->v.size() != 1) return std::nullopt;
    ConstValue r;
    r.elem_type = x.elem_type;
    for (const ConstValue* t : {&c, &x, &y})
      if (t->v.size() == n && t->dims.size() >= r.dims.size()) r.dims = t->dims;
    r.v.resize(n);
    for (size_t i = 0; i < n; ++i) {
      const double ci = c.v[c.v.size() == 1 ? 0 : i];
      r.v[i] = ci != 0 ? x.v[x.v.size() == 1 ? 0 : i] : y.v[y.v.size() == 1 ? 0 : i];
    }
    return r;
  }
  if (op == "Unsqueeze" || op == "Squeeze") {
    std::vector<int64_t> axes;
    if (const auto* at = Attr(node, "axes")) axes.assign(at->ints().begin(), at->ints().end());
    else if (has(1)) axes = *Ints(in[1]);
    ConstValue r = *a;
    if (op == "Unsqueeze") {
      const int64_t rank = static_cast<int64_t>(a->dims.size() + axes.size());
      std::vector<char> is_new(rank, 0);
      for (int64_t ax : axes) {
        if (ax < 0) ax += rank;
        if (ax < 0 || ax >= rank) return std::nullopt;
        is_new[ax] = 1;
      }
      r.dims.clear();
      size_t k = 0;
      for (int64_t i = 0; i < rank; ++i) r.dims.push_back(is_new[i] ? 1 : a->dims[k++]);
    } else {
      const int64_t rank = static_cast<int64_t>(a->dims.size());
      std::vector<char> drop(rank, axes.empty() ? 1 : 0);
      for (int64_t ax : axes) {
        if (ax < 0) ax += rank;
        if (ax < 0 || ax >= rank) return std::nullopt;
        drop[ax] = 1;
      }
      r.dims.clear();
      for (int64_t i = 0; i < rank; ++i)
        if (!(drop[i] && a->dims[i] == 1)) r.dims.push_back(a->dims[i]);
    }
    return r;
  }
  if (op == "Concat") {
    ConstValue r;
    r.elem_type = a->elem_type;
    for (const ConstValue* t : in) {
      if (!t || t->dims.size() > 1) return std::nullopt;
      r.v.insert(r.v.end(), t->v.begin(), t->v.end());
    }
    r.dims = {static_cast<int64_t>(r.v.size())};
    return r;
  }
  if (op == "Gather") {
    if (!has(1) || a->dims.size() > 1) return std::nullopt;
    const int64_t axis = Attr(node, "axis") ? Attr(node, "axis")->i() : 0;
    if (axis != 0 && axis != -1) return std::nullopt;
    const int64_t n = static_cast<int64_t>(a->v.size());
    ConstValue r;
    r.elem_type = a->elem_type;
    r.dims = in[1]->dims;
    for (double idx : in[1]->v) {
      int64_t i = static_cast<int64_t>(idx);
      if (i < 0) i += n;
      if (i < 0 || i >= n) return std::nullopt;
      r.v.push_back(a->v[i]);
    }
    return r;
  }
  if (op == "Slice") {
    if (a->dims.size() != 1) return std::nullopt;
    std::vector<int64_t> starts, ends, axes = {0}, steps = {1};
    if (has(1) && has(2)) {
      starts = *Ints(in[1]);
      ends = *Ints(in[2]);
      if (has(3)) axes = *Ints(in[3]);
      if (has(4)) steps = *Ints(in[4]);
    } else if (const auto* s = Attr(node, "starts"); s && Attr(node, "ends")) {
      starts.assign(s->ints().begin(), s->ints().end());
      const auto* e = Attr(node, "ends");
      ends.assign(e->ints().begin(), e->ints().end());
      if (const auto* x = Attr(node, "axes")) axes.assign(x->ints().begin(), x->ints().end());
    } else {
      return std::nullopt;
    }
    if (starts.size() != 1 || ends.size() != 1 || axes.size() != 1 || steps.size() != 1) return std::nullopt;
    if (axes[0] != 0 && axes[0] != -1) return std::nullopt;
    const int64_t n = static_cast<int64_t>(a->v.size());
    const int64_t step = steps[0];
    if (step == 0) return std::nullopt;
    int64_t s = starts[0] < 0 ? starts[0] + n : starts[0];
    int64_t e = ends[0] < 0 ? ends[0] + n : ends[0];
    ConstValue r;
    r.elem_type = a->elem_type;
    if (step > 0) {
      s = Clamp(s, 0, n);
      e = Clamp(e, 0, n);
      for (int64_t i = s; i < e; i += step) r.v.push_back(a->v[i]);
    } else {
      s = Clamp(s, -1, n - 1);
      e = Clamp(e, -1, n - 1);
      for (int64_t i = s; i > e; i += step) r.v.push_back(a->v[i]);
    }
    r.dims = {static_cast<int64_t>(r.v.size())};
    return r;
  }
  if (op == "ReduceProd" || op == "ReduceSum") {
    if (a->dims.size() > 1) return std::nullopt;
    double acc = op == "ReduceProd" ? 1 : 0;
    for (double x : a->v) acc = op == "ReduceProd" ? acc * x : acc + x;
    const bool keep = !Attr(node, "keepdims") || Attr(node, "keepdims")->i() != 0;
    ConstValue r{a->elem_type, {}, {acc}};
    if (keep && a->dims.size() == 1) r.dims = {1};
    return r;
  }
  if (op == "Range") {
    if (in.size() != 3) return std::nullopt;
    const double start = a->v.at(0), limit = in[1]->v.at(0), delta = in[2]->v.at(0);
    if (delta == 0) return std::nullopt;
    const double count = std::max(0.0, std::ceil((limit - start) / delta));
    if (count > kMaxConstElems) return std::nullopt;
    std::vector<double> v;
    for (int64_t i = 0; i < static_cast<int64_t>(count); ++i) v.push_back(start + static_cast<double>(i) * delta);
    return Vector(v, a->elem_type);
  }
  if (op == "ConstantOfShape") {
    ConstValue r;
    r.elem_type = T::FLOAT;
    double fill = 0;
    if (const auto* at = Attr(node, "value")) {
      auto c = FromTensor(at->t());
      if (!c || c->v.size() != 1) return std::nullopt;
      r.elem_type = c->elem_type;
      fill = c->v[0];
    }
    for (double d : a->v) {
      if (d < 0) return std::nullopt;
      r.dims.push_back(static_cast<int64_t>(d));
    }
    const size_t n = Count(r.dims);
    if (n > kMaxConstElems) return std::nullopt;
    r.v.assign(n, fill);
    return r;
  }
  if (op == "Reshape") {
    if (!has(1)) return std::nullopt;
    auto shape = *Ints(in[1]);
    ConstValue r = *a;
    r.dims.clear();
    int64_t known = 1, infer = -1;
    for (size_t i = 0; i < shape.size(); ++i) {
      int64_t d = shape[i];
      if (d == 0) d = i < a->dims.size() ? a->dims[i] : 1;
      if (d == -1) {
        infer = static_cast<int64_t>(i);
        r.dims.push_back(1);
        continue;
      }
      known *= d;
      r.dims.push_back(d);
    }
    if (infer >= 0 && known > 0) r.dims[infer] = static_cast<int64_t>(a->v.size()) / known;
    if (Count(r.dims) != a->v.size()) return std::nullopt;
    return r;
  }
  return std::nullopt;
}

}  // namespace

std::map<std::string, ConstValue> EvaluateConstants(const onnx::GraphProto& graph, const TensorLookup& shapes) {
  std::map<std::string, ConstValue> values;
  for (const auto& init : graph.initializer())
    if (auto c = FromTensor(init)) values[init.name()] = std::move(*c);
  for (const auto& node : graph.node()) {
    if (node.output_size() != 1 || node.output(0).empty()) continue;
    if (!node.domain().empty() && node.domain() != "ai.onnx") continue;
    std::vector<const ConstValue*> in;
    for (const auto& name : node.input()) {
      auto it = values.find(name);
      in.push_back(!name.empty() && it != values.end() ? &it->second : nullptr);
    }
    auto r = Evaluate(node, in, shapes);
    if (r && r->v.size() <= kMaxConstElems && r->v.size() == Count(r->dims)) values[node.output(0)] = std::move(*r);
  }
  return values;
}

onnx::TensorProto ToTensor(const std::string& name, const ConstValue& value) {
  onnx::TensorProto t;
  t.set_name(name);
  t.set_data_type(value.elem_type);
  for (int64_t d : value.dims) t.add_dims(d);
  switch (value.elem_type) {
    case T::INT64: case T::UINT32: case T::UINT64:
      if (value.elem_type == T::INT64) {
        for (double x : value.v) t.add_int64_data(static_cast<int64_t>(x));
      } else {
        for (double x : value.v) t.add_uint64_data(static_cast<uint64_t>(x));
      }
      break;
    case T::FLOAT:
      for (double x : value.v) t.add_float_data(static_cast<float>(x));
      break;
    case T::DOUBLE:
      for (double x : value.v) t.add_double_data(x);
      break;
    default:
      for (double x : value.v) t.add_int32_data(static_cast<int32_t>(x));
      break;
  }
  return t;
}

}  // namespace diviml::onnx_import
