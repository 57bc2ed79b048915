// Reader of Kasahara's Standard Task Graph format (docs/formats.md).
//
//   N                          number of real tasks
//   id cost npred pred...      N + 2 entries: dummy entry 0, tasks 1..N,
//                              dummy exit N+1; ids in order 0..N+1
//   # ...                      comment lines (the generator's trailer)
//
// Entries are read as a token stream, so a long predecessor list may wrap
// onto the next line. Node ids are the task numbers as strings; the same
// cost holds on every device, stored under the key "*" of Node::time_s
// (Problem::Build resolves device name, then type, then "*"). Edges carry 0
// bytes. Counts, ids and predecessors are all checked.
#include <charconv>
#include <cmath>
#include <set>
#include <string_view>
#include <vector>

#include "diviml/io/io.h"
#include "io/graph_check.h"
#include "io/json_check.h"

namespace diviml {
namespace {

struct Token {
  std::string_view text;
  int line = 0;
};

// Whitespace-separated tokens of every line that is not a '#' comment.
std::vector<Token> Tokenize(const std::string& text) {
  std::vector<Token> tokens;
  std::string_view rest(text);
  int line = 0;
  while (!rest.empty()) {
    ++line;
    size_t eol = rest.find('\n');
    std::string_view ln = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
    auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; };
    size_t i = 0;
    while (i < ln.size() && blank(ln[i])) ++i;
    if (i < ln.size() && ln[i] == '#') continue;
    while (i < ln.size()) {
      size_t j = i;
      while (j < ln.size() && !blank(ln[j])) ++j;
      tokens.push_back({ln.substr(i, j - i), line});
      while (j < ln.size() && blank(ln[j])) ++j;
      i = j;
    }
  }
  return tokens;
}

class StgReader {
 public:
  StgReader(const std::string& text, const std::string& source)
      : tokens_(Tokenize(text)), source_(source) {}

  [[noreturn]] void Fail(const std::string& problem, int line) const {
    io::Fail(source_, problem, "line " + std::to_string(line));
  }
  const Token& Next(const std::string& what) {
    if (pos_ >= tokens_.size())
      Fail("file ends early, expected " + what + note,
           tokens_.empty() ? 1 : tokens_.back().line);
    return tokens_[pos_++];
  }
  // A whole non-negative integer no larger than `max`.
  long long Integer(const std::string& what, long long max) {
    const Token& t = Next(what);
    long long v = -1;
    auto [end, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), v);
    if (ec != std::errc() || end != t.text.data() + t.text.size() || v < 0)
      Fail("bad " + what + " '" + std::string(t.text) + "', expected a non-negative integer",
           t.line);
    if (v > max)
      Fail(what + " " + std::to_string(v) + " out of range 0.." + std::to_string(max), t.line);
    return v;
  }
  double Cost(const std::string& what) {
    const Token& t = Next(what);
    double v = -1;
    auto [end, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), v);
    if (ec != std::errc() || end != t.text.data() + t.text.size() || !std::isfinite(v) || v < 0)
      Fail("bad " + what + " '" + std::string(t.text) + "', expected a finite number >= 0",
           t.line);
    return v;
  }
  std::string note;  // appended to "file ends early" messages

  bool AtEnd() const { return pos_ >= tokens_.size(); }
  const Token& Peek() const { return tokens_[pos_]; }
  int LastLine() const { return pos_ == 0 ? 1 : tokens_[pos_ - 1].line; }

 private:
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  const std::string& source_;
};

}  // namespace

Graph ParseStg(const std::string& text, const std::string& source) {
  StgReader in(text, source);
  constexpr long long kMaxTasks = 100'000'000;
  constexpr long long kMaxId = 1LL << 40;  // larger ids are reported as bad numbers
  const long long n_real = in.Integer("task count", kMaxTasks);
  const int total = static_cast<int>(n_real) + 2;  // with dummy entry and exit
  in.note = " (the count line says " + std::to_string(n_real) + " tasks + 2 dummies)";

  Graph g;
  g.name = io::SourceStem(source);
  for (int k = 0; k < total; ++k) {
    const std::string task = "task " + std::to_string(k);
    const long long id = in.Integer(task + " id", kMaxId);
    if (id != k)
      in.Fail("task id " + std::to_string(id) + " out of order, expected " + std::to_string(k) +
                  " (the count line says " + std::to_string(n_real) + " tasks + 2 dummies)",
              in.LastLine());
    Node node;
    node.id = std::to_string(k);
    node.time_s["*"] = in.Cost(task + " cost");
    g.AddNode(std::move(node));
    const long long npred = in.Integer(task + " predecessor count", total - 1);
    std::set<long long> preds;
    for (long long p = 0; p < npred; ++p) {
      const long long pred = in.Integer(task + " predecessor", kMaxId);
      const int line = in.LastLine();
      if (pred >= total)
        in.Fail(task + " predecessor " + std::to_string(pred) + " out of range 0.." +
                    std::to_string(total - 1),
                line);
      if (pred == k) in.Fail("self-loop: task " + std::to_string(k) + " lists itself", line);
      if (!preds.insert(pred).second)
        in.Fail(task + " lists predecessor " + std::to_string(pred) + " twice", line);
      g.AddEdge(static_cast<int>(pred), k, 0);
    }
  }
  if (!in.AtEnd())
    in.Fail("extra data '" + std::string(in.Peek().text) + "' after the last task " +
                std::to_string(total - 1) + " (count line says " + std::to_string(n_real) +
                " tasks + 2 dummies)",
            in.Peek().line);
  io::FinalizeOrThrow(g, source, "predecessor lists");
  return g;
}

}  // namespace diviml
