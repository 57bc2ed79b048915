// The protobuf wire format, as far as the CP-SAT model and response need
// it (cpsat.cc): varints, fixed 64-bit doubles, length-delimited fields
// and packed repeated integers, written and read by hand.
// https://protobuf.dev/programming-guides/encoding/
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace diviml::cp::wire {

// Appends fields to a message. O(bytes written) each.
class Writer {
 public:
  void Varint(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>(v | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  void Tag(int field, int wire_type) { Varint((static_cast<uint64_t>(field) << 3) | wire_type); }
  // int32, int64, enum and bool (a negative value as its 64-bit two's
  // complement, as protobuf does for int32 and int64).
  void Int(int field, int64_t v) {
    Tag(field, 0);
    Varint(static_cast<uint64_t>(v));
  }
  void Double(int field, double v) {
    Tag(field, 1);
    uint64_t u;
    std::memcpy(&u, &v, 8);
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>(u >> (8 * i)));
  }
  void Bytes(int field, const std::string& b) {
    Tag(field, 2);
    Varint(b.size());
    out_ += b;
  }
  template <class T>
  void Packed(int field, const std::vector<T>& v) {
    if (v.empty()) return;
    Writer w;
    for (T x : v) w.Varint(static_cast<uint64_t>(static_cast<int64_t>(x)));
    Bytes(field, w.str());
  }
  const std::string& str() const { return out_; }

 private:
  std::string out_;
};

// Reads a message's fields in order; false from Next() at the end or on
// malformed input (ok() tells which).
class Reader {
 public:
  Reader(const char* data, size_t size) : p_(data), end_(data + size) {}
  explicit Reader(const std::string& s) : Reader(s.data(), s.size()) {}
  bool Next(int* field, int* wire_type) {
    if (p_ >= end_) return false;
    uint64_t tag;
    if (!ReadVarint(&tag)) return false;
    *field = static_cast<int>(tag >> 3);
    *wire_type = static_cast<int>(tag & 7);
    return true;
  }
  bool ReadVarint(uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ >= end_) return Fail();
      const uint8_t b = static_cast<uint8_t>(*p_++);
      *v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return true;
    }
    return Fail();
  }
  bool ReadDouble(double* v) {
    if (end_ - p_ < 8) return Fail();
    uint64_t u = 0;
    for (int i = 0; i < 8; ++i) u |= static_cast<uint64_t>(static_cast<uint8_t>(p_[i])) << (8 * i);
    p_ += 8;
    std::memcpy(v, &u, 8);
    return true;
  }
  bool ReadBytes(std::string* b) {
    uint64_t n;
    if (!ReadVarint(&n) || n > static_cast<uint64_t>(end_ - p_)) return Fail();
    b->assign(p_, n);
    p_ += n;
    return true;
  }
  // A repeated integer field's element(s): packed (wire type 2) or one.
  bool ReadInts(int wire_type, std::vector<int64_t>* out) {
    if (wire_type == 0) {
      uint64_t v;
      if (!ReadVarint(&v)) return false;
      out->push_back(static_cast<int64_t>(v));
      return true;
    }
    if (wire_type != 2) return Fail();
    std::string b;
    if (!ReadBytes(&b)) return false;
    Reader r(b);
    uint64_t v;
    while (r.p_ < r.end_) {
      if (!r.ReadVarint(&v)) return Fail();
      out->push_back(static_cast<int64_t>(v));
    }
    return true;
  }
  // Skips a field of the given wire type.
  bool Skip(int wire_type) {
    uint64_t v;
    std::string b;
    switch (wire_type) {
      case 0: return ReadVarint(&v);
      case 1: if (end_ - p_ < 8) return Fail(); p_ += 8; return true;
      case 2: return ReadBytes(&b);
      case 5: if (end_ - p_ < 4) return Fail(); p_ += 4; return true;
      default: return Fail();
    }
  }
  bool ok() const { return ok_; }

 private:
  bool Fail() {
    ok_ = false;
    p_ = end_;
    return false;
  }
  const char* p_;
  const char* end_;
  bool ok_ = true;
};

}  // namespace diviml::cp::wire
